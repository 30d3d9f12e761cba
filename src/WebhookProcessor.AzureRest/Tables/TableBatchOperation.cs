namespace WebhookProcessor.AzureRest.Tables;

public enum TableBatchAction
{
    Insert,
    UpsertReplace,
    UpsertMerge,
    UpdateReplace,
    UpdateMerge,
    Delete,
}

/// <summary>One operation of an entity group transaction. <see cref="IfMatch"/> applies to updates and deletes (<c>*</c>: whatever is stored).</summary>
public sealed record TableBatchOperation(TableBatchAction Action, TableEntity Entity, string IfMatch = "*")
{
    public static TableBatchOperation Insert(TableEntity entity) => new(TableBatchAction.Insert, entity);

    public static TableBatchOperation Upsert(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Replace) =>
        new(mode == TableUpdateMode.Replace ? TableBatchAction.UpsertReplace : TableBatchAction.UpsertMerge, entity);

    public static TableBatchOperation Update(TableEntity entity, string ifMatch, TableUpdateMode mode = TableUpdateMode.Replace) =>
        new(mode == TableUpdateMode.Replace ? TableBatchAction.UpdateReplace : TableBatchAction.UpdateMerge, entity, ifMatch);

    public static TableBatchOperation Delete(string partitionKey, string rowKey, string ifMatch = "*") =>
        new(TableBatchAction.Delete, new TableEntity(partitionKey, rowKey), ifMatch);
}

/// <summary>
/// The outcome of an entity group transaction. On failure nothing was applied, and
/// <see cref="FailedIndex"/> says which operation the service refused (when it says).
/// </summary>
/// <param name="ETags">On success, each operation's new ETag (null for deletes).</param>
public sealed record TableBatchResult(TableWriteOutcome Outcome, IReadOnlyList<string?> ETags, int? FailedIndex = null, string? ErrorCode = null)
{
    public bool Succeeded => Outcome == TableWriteOutcome.Success;
}
