using WebhookProcessor.AzureRest.Tables;

namespace WebhookProcessor.Azure;

internal static class TableIndex
{
    /// <summary>
    /// Writes an index copy unless the stored copy is of the same or a later version: two instances
    /// writing copies of successive versions in the wrong order must not leave the older one behind.
    /// </summary>
    public static async Task WriteIfNewerAsync(TableClient table, TableEntity copy, long version, CancellationToken cancellationToken)
    {
        while (true)
        {
            var stored = await table.GetEntityAsync(copy.PartitionKey, copy.RowKey, ["Version"], cancellationToken);
            if (stored is not null && (stored.GetInt64("Version") ?? 0) >= version)
            {
                return;
            }

            var result = stored is null
                ? await table.InsertAsync(copy, cancellationToken)
                : await table.UpdateAsync(copy, stored.ETag!, cancellationToken: cancellationToken);
            if (result.Succeeded)
            {
                return;
            }
        }
    }
}
