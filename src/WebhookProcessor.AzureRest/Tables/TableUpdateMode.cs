namespace WebhookProcessor.AzureRest.Tables;

public enum TableUpdateMode
{
    /// <summary>The stored entity becomes exactly the one sent (properties not sent are removed).</summary>
    Replace,

    /// <summary>Properties sent are set; the others are kept.</summary>
    Merge,
}
