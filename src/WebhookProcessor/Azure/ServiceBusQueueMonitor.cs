using System.Globalization;
using WebhookProcessor.Queue;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Azure;

/// <summary>
/// The ops view of the queue in Service Bus mode: two sources of dead letters, listed one after the
/// other, the Table store's (intake and poison dead letters, newest first) and then the broker's
/// dead-letter sub-queue (oldest first, by sequence number). The cursor says which source a page
/// continues and where, so paging never skips or repeats one. Ids tell the sources apart: the Table
/// store's are numbers, the broker's <c>sb-</c> and a sequence number.
/// </summary>
public sealed class ServiceBusQueueMonitor(TableDeadLetterStore table, ServiceBusDeadLetterQueue broker, ServiceBusQueueRuntime runtime) : IQueueMonitor
{
    private const string TablePhase = "t:";
    private const string BrokerPhase = "b:";

    /// <summary>
    /// Depth, the oldest message and the broker's dead letters from the broker itself
    /// (<see cref="ServiceBusQueueRuntime"/>), plus the Table store's dead letters. When the broker cannot
    /// answer, depth and the dead-letter count are null (unknown), never 0.
    /// </summary>
    public async Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        // The Table store has no count: this reads every dead letter's key (no bodies). There are few.
        var own = await table.GetStatsAsync(cancellationToken);
        var brokers = await runtime.GetStatsAsync(cancellationToken);
        return new QueueStats(brokers.Depth, brokers.OldestEnqueuedAt, brokers.DeadLetterCount + own.DeadLetterCount);
    }

    public async Task<Page<DeadLetterSummary>> ListDeadLettersAsync(int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        var position = cursor is null ? TablePhase : Cursor.DecodeKey(cursor);
        var items = new List<DeadLetterSummary>(limit);
        // Each item's own cursor, so a page cut short by size still continues right after its last item.
        List<string>? itemCursors = new(limit);
        long from = 0;
        if (position.StartsWith(TablePhase, StringComparison.Ordinal))
        {
            var inner = position.Length > TablePhase.Length ? position[TablePhase.Length..] : null;
            var page = await table.ListDeadLettersAsync(limit, inner, cancellationToken);
            var tableCursors = page.ItemCursors?.Select(c => Cursor.EncodeKey(TablePhase + c)).ToList();
            if (page.NextCursor is { } next)
            {
                return new Page<DeadLetterSummary>(page.Items, Cursor.EncodeKey(TablePhase + next), tableCursors);
            }

            items.AddRange(page.Items);
            // Without the store's item cursors, the page is handed out whole.
            itemCursors = tableCursors is null ? null : [.. tableCursors];
        }
        else if (!position.StartsWith(BrokerPhase, StringComparison.Ordinal)
            || !long.TryParse(position.AsSpan(BrokerPhase.Length), NumberStyles.None, CultureInfo.InvariantCulture, out from))
        {
            throw new FormatException("The cursor is not one this service issued.");
        }

        // One more than fits tells whether the broker has another page.
        var room = limit - items.Count;
        var peeked = await broker.PeekAsync(room + 1, from, cancellationToken);
        foreach (var message in peeked.Take(room))
        {
            items.Add(ServiceBusDeadLetterQueue.Summarize(message));
            itemCursors?.Add(BrokerCursor(message.SequenceNumber + 1));
        }

        return new Page<DeadLetterSummary>(items, peeked.Count > room ? BrokerCursor(peeked[room].SequenceNumber) : null, itemCursors);
    }

    private static string BrokerCursor(long fromSequenceNumber) =>
        Cursor.EncodeKey(BrokerPhase + fromSequenceNumber.ToString(CultureInfo.InvariantCulture));

    public async Task<StoredDeadLetter?> GetDeadLetterAsync(string id, CancellationToken cancellationToken = default) =>
        ServiceBusDeadLetterQueue.TryParseId(id, out var sequenceNumber)
            ? await broker.PeekOneAsync(sequenceNumber, cancellationToken) is { } message ? ServiceBusDeadLetterQueue.Read(message) : null
            : await table.GetDeadLetterAsync(id, cancellationToken);

    public Task<bool> RemoveDeadLetterAsync(string id, CancellationToken cancellationToken = default) =>
        ServiceBusDeadLetterQueue.TryParseId(id, out var sequenceNumber)
            ? broker.RemoveAsync(sequenceNumber, cancellationToken)
            : table.RemoveDeadLetterAsync(id, cancellationToken);
}
