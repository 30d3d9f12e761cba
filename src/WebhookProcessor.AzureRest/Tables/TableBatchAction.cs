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
