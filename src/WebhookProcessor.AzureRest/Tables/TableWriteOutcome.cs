namespace WebhookProcessor.AzureRest.Tables;

/// <summary>How a write ended; only the outcomes a caller is expected to act on are results, the rest throw <see cref="TableRequestException"/>.</summary>
public enum TableWriteOutcome
{
    Success,

    /// <summary>409: insert of an entity that exists.</summary>
    Conflict,

    /// <summary>412: the entity's ETag no longer matches <c>If-Match</c> (someone else wrote it).</summary>
    PreconditionFailed,

    /// <summary>404: update or delete of an entity that does not exist.</summary>
    NotFound,
}
