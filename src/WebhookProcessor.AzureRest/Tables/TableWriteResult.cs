namespace WebhookProcessor.AzureRest.Tables;

/// <param name="ETag">The entity's new ETag on success.</param>
public readonly record struct TableWriteResult(TableWriteOutcome Outcome, string? ETag = null)
{
    public bool Succeeded => Outcome == TableWriteOutcome.Success;
}
