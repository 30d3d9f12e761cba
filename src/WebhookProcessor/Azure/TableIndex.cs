using Azure.Data.Tables;

namespace WebhookProcessor.Azure;

internal static class TableIndex
{
    /// <summary>
    /// Writes an index copy unless the stored copy is of the same or a later version: two instances
    /// writing copies of successive versions in the wrong order must not leave the older one behind.
    /// The copy this process wrote last, when cached, stands in for the read: the write is then
    /// conditional on its ETag, and only if someone wrote since is the stored copy read.
    /// </summary>
    public static async Task WriteIfNewerAsync(TableClient table, TableEntity copy, long version, RowCache cache, CancellationToken cancellationToken)
    {
        if (cache.Get(table.Name, copy.PartitionKey, copy.RowKey) is { } known)
        {
            if ((known.ReadInt64("Version") ?? 0) >= version)
            {
                return;
            }

            if (await table.ReplaceIfAsync(copy, known.ETag, cancellationToken))
            {
                cache.Put(table.Name, copy);
                return;
            }

            cache.Drop(table.Name, copy.PartitionKey, copy.RowKey);
        }

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
                cache.Put(table.Name, copy);
                return;
            }
        }
    }
}
