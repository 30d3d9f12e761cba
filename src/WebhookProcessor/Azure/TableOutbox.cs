using System.Text.Json;
using Azure.Data.Tables;
using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.Azure;

/// <summary>
/// The alert outbox in Table Storage. Each item is one entity in its own partition (point reads and
/// ETag-conditional status changes), found through pointer rows in the index table: when it is due
/// per channel (<c>d_{channel}</c>), newest first per status group (<c>s_{group}</c>) and overall
/// (<c>all</c>). The item is the truth: a pointer is written before the change that needs it and
/// removed after the change that ends it, so a crash leaves at most a stale pointer, which readers
/// check against the item and drop, never an item nobody can find.
/// </summary>
internal sealed class TableOutbox(TableServiceClient service, TableNames names)
{
    private const string ItemRow = "n";
    private const string DueProperty = "DueAtCommit";

    private readonly TableClient _items = service.GetTableClient(names.Notifications);
    private readonly TableClient _index = service.GetTableClient(names.NotificationIndex);

    /// <summary>The outbox item as written in the event's transaction, in the catalog partition.</summary>
    public static TableEntity AlertRow(string home, OutboxItem item) => new(home, TableRowKeys.AlertRow(item.NotificationId))
    {
        { "NotificationId", item.NotificationId },
        { "EventId", item.EventId },
        { "Kind", item.Kind },
        { "WabaId", item.WabaId },
        { "TemplateId", item.TemplateId },
        { "Facts", item.FactsJson },
        { "Channel", item.Channel },
        { "Recipient", item.Recipient },
        { "OwnerId", item.OwnerId },
        { "OwnerName", item.OwnerName },
        { "Language", item.Language },
        { "Status", item.Status },
        { DueProperty, item.DueAtCommit },
        { "TraceParent", item.TraceParent },
    };

    /// <summary>
    /// Reads an alert row back (to repair a crash after its transaction). Rows written before the row
    /// carried the envelope's own fields get them from the facts, as they were written then.
    /// </summary>
    public static OutboxItem ReadAlertRow(TableEntity row)
    {
        var factsJson = row.ReadString("Facts")!;
        var channel = row.ReadString("Channel");
        var facts = row.ReadString("Kind") is null ? JsonSerializer.Deserialize<AlertFacts>(factsJson, NotificationRows.Json)! : null;
        return new OutboxItem(
            row.ReadString("NotificationId")!,
            row.ReadString("EventId")!,
            row.ReadString("Kind") ?? facts!.Kind,
            row.ReadString("WabaId") ?? facts!.WabaId,
            facts is null ? row.ReadInt64("TemplateId") : facts.TemplateId,
            channel,
            row.ReadString("Recipient"),
            row.ReadString("OwnerId"),
            row.ReadString("OwnerName"),
            row.ReadString("Language")!,
            factsJson,
            row.ReadString("Status") ?? (channel is null ? NotificationStatus.Unrouted : NotificationStatus.Pending),
            row.ReadBool(DueProperty) ?? channel is not null,
            row.ReadString("TraceParent"));
    }

    /// <summary>Adds the planned alerts that are not there yet (by id); returns how many were new.</summary>
    public Task<int> AddAsync(IReadOnlyList<PlannedAlert> alerts, DateTimeOffset now, CancellationToken cancellationToken) =>
        AddAsync(OutboxItems.From(alerts), now, cancellationToken);

    /// <summary>Adds the items that are not there yet (by id); returns how many were new.</summary>
    public async Task<int> AddAsync(IReadOnlyList<OutboxItem> items, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var added = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var item = Item(items[i], now, (now.ToUnixTimeMilliseconds() * 1000) + (i % 1000));
            var pointers = Pointers(item);
            await UpsertPointersAsync(pointers, item, cancellationToken);
            if (await _items.InsertAsync(item, cancellationToken))
            {
                added++;
                continue;
            }

            // Already there (added before, perhaps long ago): keep only the pointers its real state needs.
            var existing = await _items.FindAsync(item.PartitionKey, ItemRow, cancellationToken: cancellationToken);
            await DeletePointersAsync(pointers.Except(existing is null ? [] : Pointers(existing)), cancellationToken);
        }

        return added;
    }

    public async Task<Notification?> GetAsync(string notificationId, CancellationToken cancellationToken) =>
        await _items.FindAsync(TableKey.Escape(notificationId), ItemRow, cancellationToken: cancellationToken) is { } item ? Read(item) : null;

    /// <summary>
    /// Changes one item if <paramref name="when"/> holds for its stored state, with its ETag, so two
    /// instances never both make the change; false when it does not hold (or the item is gone).
    /// </summary>
    public async Task<TableEntity?> ChangeAsync(string notificationId, Func<TableEntity, bool> when, Action<TableEntity> change, CancellationToken cancellationToken)
    {
        var partition = TableKey.Escape(notificationId);
        var current = await _items.FindAsync(partition, ItemRow, cancellationToken: cancellationToken);
        while (current is not null && when(current))
        {
            var next = Clone(current);
            change(next);
            var before = Pointers(current);
            var after = Pointers(next);
            var added = after.Except(before).ToList();
            await UpsertPointersAsync(added, next, cancellationToken);
            if (await _items.ReplaceIfAsync(next, current.ETag, cancellationToken))
            {
                await DeletePointersAsync(before.Except(after), cancellationToken);
                return next;
            }

            current = await _items.FindAsync(partition, ItemRow, cancellationToken: cancellationToken);
            await DeletePointersAsync(added.Except(current is null ? [] : Pointers(current)), cancellationToken);
        }

        return null;
    }

    /// <summary>The pointer rows of one partition of the index, in key order, from <paramref name="after"/> on.</summary>
    public Task<(IReadOnlyList<TableEntity> Items, string? Continuation)> PointersAsync(string filter, int max, string? continuation, CancellationToken cancellationToken) =>
        _index.PageAsync(filter, max, continuation, cancellationToken: cancellationToken);

    /// <summary>The item a pointer points to, or null when the pointer is stale (and then it is removed).</summary>
    public async Task<TableEntity?> ResolveAsync(TableEntity pointer, CancellationToken cancellationToken)
    {
        var item = await _items.FindAsync(TableKey.Escape(pointer.ReadString("NotificationId")!), ItemRow, cancellationToken: cancellationToken);
        if (item is not null && Pointers(item).Contains((pointer.PartitionKey, pointer.RowKey)))
        {
            return item;
        }

        await _index.RemoveAsync(pointer.PartitionKey, pointer.RowKey, cancellationToken: cancellationToken);
        return null;
    }

    public static string DuePartition(AlertChannel channel) => "d_" + NotificationRows.ChannelName(channel);

    /// <summary>Pending and sending share a group: a claim changes neither the group nor the listing.</summary>
    public static string StatusPartition(string status) => "s_" + (status is NotificationStatus.Pending or NotificationStatus.Sending ? "open" : status);

    public static Notification Read(TableEntity e) => new()
    {
        Sequence = e.ReadInt64("Sequence")!.Value,
        Id = e.ReadString("NotificationId")!,
        Channel = NotificationRows.ParseChannel(e.ReadString("Channel")),
        Recipient = e.ReadString("Recipient"),
        OwnerId = e.ReadString("OwnerId"),
        OwnerName = e.ReadString("OwnerName"),
        Language = e.ReadString("Language")!,
        Facts = JsonSerializer.Deserialize<AlertFacts>(e.ReadString("Facts")!, NotificationRows.Json)!,
        Status = e.ReadString("Status")!,
        Attempts = e.ReadInt32("Attempts") ?? 0,
        LastError = e.ReadString("LastError"),
        CreatedAt = e.ReadTime("CreatedAt")!.Value,
        NextAttemptAt = e.ReadTime("NextAttemptAt"),
        SentAt = e.ReadTime("SentAt"),
        TraceParent = e.ReadString("TraceParent"),
    };

    private static TableEntity Item(OutboxItem outboxItem, DateTimeOffset now, long sequence)
    {
        var item = AlertRow(TableKey.Escape(outboxItem.NotificationId), outboxItem);
        item.RowKey = ItemRow;
        item.Remove(DueProperty);
        item["Sequence"] = sequence;
        item["Attempts"] = 0;
        item["CreatedAt"] = now;
        item["NextAttemptAt"] = outboxItem.DueAtCommit ? now : null;
        item["UpdatedAt"] = now;
        return item;
    }

    private static HashSet<(string PartitionKey, string RowKey)> Pointers(TableEntity item)
    {
        var id = item.ReadString("NotificationId")!;
        var created = TableRowKeys.NewestFirst(item.ReadTime("CreatedAt")!.Value, id);
        var status = item.ReadString("Status")!;
        var pointers = new HashSet<(string, string)> { (TableRowKeys.All, created), (StatusPartition(status), created) };
        if (status is NotificationStatus.Pending or NotificationStatus.Sending
            && NotificationRows.ParseChannel(item.ReadString("Channel")) is { } channel
            && item.ReadTime("NextAttemptAt") is { } next)
        {
            pointers.Add((DuePartition(channel), TableRowKeys.Number(next.UtcTicks) + "_" + TableKey.Escape(id)));
        }

        return pointers;
    }

    private async Task UpsertPointersAsync(IEnumerable<(string PartitionKey, string RowKey)> pointers, TableEntity item, CancellationToken cancellationToken)
    {
        foreach (var (partitionKey, rowKey) in pointers)
        {
            // The filterable facts travel with the pointer, so listings filter before reading items.
            await _index.UpsertAsync(
                new TableEntity(partitionKey, rowKey)
                {
                    { "NotificationId", item.ReadString("NotificationId") },
                    { "TemplateId", item.ReadInt64("TemplateId") },
                    { "Kind", item.ReadString("Kind") },
                    { "Channel", item.ReadString("Channel") },
                },
                cancellationToken);
        }
    }

    private async Task DeletePointersAsync(IEnumerable<(string PartitionKey, string RowKey)> pointers, CancellationToken cancellationToken)
    {
        foreach (var (partitionKey, rowKey) in pointers.ToList())
        {
            await _index.RemoveAsync(partitionKey, rowKey, cancellationToken: cancellationToken);
        }
    }

    private static TableEntity Clone(TableEntity source)
    {
        var clone = CatalogEntities.Copy(source, source.PartitionKey, source.RowKey);
        clone.ETag = source.ETag;
        return clone;
    }
}
