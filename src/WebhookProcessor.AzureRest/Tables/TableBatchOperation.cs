namespace WebhookProcessor.AzureRest.Tables;

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
