using Azure.Data.Tables;

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
            var stored = await table.FindAsync(copy.PartitionKey, copy.RowKey, ["Version"], cancellationToken);
            if (stored is not null && (stored.ReadInt64("Version") ?? 0) >= version)
            {
                return;
            }

            var written = stored is null
                ? await table.InsertAsync(copy, cancellationToken)
                : await table.ReplaceIfAsync(copy, stored.ETag, cancellationToken);
            if (written)
            {
                return;
            }
        }
    }
}
