using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace WebhookProcessor.Azure;

/// <summary>
/// The rows (with their ETags) this process last read or wrote, so a write that follows can be made
/// conditional on that ETag instead of reading the row again first: one Table transaction saved per
/// write, and billed transactions are what Table Storage costs. Never trusted for a decision that
/// sticks: a row changed by anyone else since fails the conditional write (412), the entry is dropped
/// and the caller reads the row as it would have without the cache. Bounded: when full it starts over.
/// </summary>
internal sealed class RowCache(int capacity = 4096)
{
    private readonly ConcurrentDictionary<(string Table, string PartitionKey, string RowKey), TableEntity> _rows = new();

    public TableEntity? Get(string table, string partitionKey, string rowKey) =>
        _rows.TryGetValue((table, partitionKey, rowKey), out var row) ? row : null;

    /// <summary>Keeps the row if it carries the ETag the service gave it.</summary>
    public void Put(string table, TableEntity row)
    {
        if (row.ETag == default)
        {
            return;
        }

        if (_rows.Count >= capacity)
        {
            _rows.Clear();
        }

        _rows[(table, row.PartitionKey, row.RowKey)] = row;
    }

    public void Drop(string table, string partitionKey, string rowKey) => _rows.TryRemove((table, partitionKey, rowKey), out _);
}
