namespace WebhookProcessor.AzureRest.Tables;

/// <summary>
/// The outcome of an entity group transaction. On failure nothing was applied, and
/// <see cref="FailedIndex"/> says which operation the service refused (when it says).
/// </summary>
/// <param name="ETags">On success, each operation's new ETag (null for deletes).</param>
public sealed record TableBatchResult(TableWriteOutcome Outcome, IReadOnlyList<string?> ETags, int? FailedIndex = null, string? ErrorCode = null)
{
    public bool Succeeded => Outcome == TableWriteOutcome.Success;
}
