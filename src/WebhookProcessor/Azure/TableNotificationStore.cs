using Azure.Data.Tables;
using WebhookProcessor.Notifications;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Azure;

/// <summary>
/// Owners and the alert outbox in Table Storage (see <see cref="TableOutbox"/> for the layout). Every
/// status change is ETag-conditional on the item, so two instances never both claim one alert.
/// </summary>
public sealed class TableNotificationStore : INotificationStore
{
    private const int MaxErrorLength = 2000;

    private readonly TableOutbox _outbox;
    private readonly TableOwners _owners;
    private readonly TableSetup _setup;

    public TableNotificationStore(TableServiceClient service, TableNames names)
    {
        _outbox = new TableOutbox(service, names);
        _owners = new TableOwners(service.GetTableClient(names.Owners));
        _setup = new TableSetup(service, names);
    }

    public async Task<IReadOnlyList<Owner>> ListOwnersAsync(CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        return await _owners.ListAsync(cancellationToken);
    }

    public async Task<Owner?> GetOwnerAsync(string ownerId, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        return await _owners.GetAsync(ownerId, cancellationToken);
    }

    public async Task<Page<Owner>> ListOwnersPageAsync(int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        return await _owners.ListPageAsync(limit, cursor, cancellationToken);
    }

    public async Task<OwnerSaveResult> SaveOwnerAsync(Owner owner, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        return await _owners.SaveAsync(owner, now, cancellationToken);
    }

    public async Task<bool> DeleteOwnerAsync(string ownerId, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        return await _owners.DeleteAsync(ownerId, cancellationToken);
    }

    public async Task<int> AddAsync(IReadOnlyList<PlannedAlert> alerts, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        return await _outbox.AddAsync(alerts, now, cancellationToken);
    }

    public async Task<Notification?> GetAsync(string notificationId, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        return await _outbox.GetAsync(notificationId, cancellationToken);
    }

    public async Task<Page<Notification>> QueryAsync(NotificationQuery query, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        var partition = query.Status is { } status ? TableOutbox.StatusPartition(status) : TableRowKeys.All;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        if (query.Cursor is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {TableRowKeys.DecodeCursor(query.Cursor)}");
        }

        if (query.TemplateId is { } templateId)
        {
            filter += " and " + TableClient.CreateQueryFilter($"TemplateId eq {templateId}");
        }

        if (query.Kind is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Kind eq {query.Kind}");
        }

        if (query.Channel is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Channel eq {query.Channel}");
        }

        var found = new List<(string RowKey, Notification Item)>();
        string? continuation = null;
        do
        {
            var page = await _outbox.PointersAsync(filter, query.Limit + 1 - found.Count, continuation, cancellationToken);
            foreach (var pointer in page.Items)
            {
                // Pending and sending share a status group: the item says which it is.
                if (await _outbox.ResolveAsync(pointer, cancellationToken) is { } item
                    && (query.Status is null || item.ReadString("Status") == query.Status))
                {
                    found.Add((pointer.RowKey, TableOutbox.Read(item)));
                }
            }

            continuation = page.Continuation;
        }
        while (continuation is not null && found.Count <= query.Limit);

        var result = Page.FromOneExtra(found.Take(query.Limit + 1).ToList(), query.Limit, f => TableRowKeys.EncodeCursor(f.RowKey));
        return new Page<Notification>(result.Items.Select(f => f.Item).ToList(), result.NextCursor);
    }

    public async Task<IReadOnlyList<Notification>> TakeDueAsync(AlertChannel channel, DateTimeOffset now, TimeSpan claimFor, int limit, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        // Due pointers are keyed by time: everything before the tick after now is due.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableOutbox.DuePartition(channel)} and RowKey lt {TableRowKeys.Number(now.UtcTicks + 1)}");
        var taken = new List<Notification>();
        string? continuation = null;
        do
        {
            var page = await _outbox.PointersAsync(filter, limit, continuation, cancellationToken);
            foreach (var pointer in page.Items)
            {
                if (taken.Count == limit)
                {
                    break;
                }

                if (await _outbox.ResolveAsync(pointer, cancellationToken) is null)
                {
                    continue;
                }

                var claimed = await _outbox.ChangeAsync(
                    pointer.ReadString("NotificationId")!,
                    item => item.ReadString("Status") is NotificationStatus.Pending or NotificationStatus.Sending
                        && item.ReadTime("NextAttemptAt") <= now,
                    item =>
                    {
                        item["Status"] = NotificationStatus.Sending;
                        item["NextAttemptAt"] = now + claimFor;
                        item["UpdatedAt"] = now;
                    },
                    cancellationToken);
                if (claimed is not null)
                {
                    taken.Add(TableOutbox.Read(claimed));
                }
            }

            continuation = page.Continuation;
        }
        while (continuation is not null && taken.Count < limit);

        return taken.OrderBy(n => n.Sequence).ToList();
    }

    public async Task<int> ReleaseClaimsAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        var released = 0;
        string? continuation = null;
        do
        {
            var page = await _outbox.PointersAsync(TableClient.CreateQueryFilter($"PartitionKey eq {TableOutbox.StatusPartition(NotificationStatus.Sending)}"), 1000, continuation, cancellationToken);
            foreach (var pointer in page.Items)
            {
                var changed = await _outbox.ChangeAsync(
                    pointer.ReadString("NotificationId")!,
                    item => item.ReadString("Status") == NotificationStatus.Sending,
                    item =>
                    {
                        item["Status"] = NotificationStatus.Pending;
                        item["NextAttemptAt"] = now;
                        item["UpdatedAt"] = now;
                    },
                    cancellationToken);
                released += changed is null ? 0 : 1;
            }

            continuation = page.Continuation;
        }
        while (continuation is not null);

        return released;
    }

    public async Task MarkSentAsync(string notificationId, int attempts, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        await _outbox.ChangeAsync(
            notificationId,
            item => item.ReadString("Status") == NotificationStatus.Sending,
            item =>
            {
                item["Status"] = NotificationStatus.Sent;
                item["Attempts"] = attempts;
                item["SentAt"] = now;
                item["NextAttemptAt"] = null;
                item["LastError"] = null;
                item["UpdatedAt"] = now;
            },
            cancellationToken);
    }

    public async Task MarkFailedAttemptAsync(string notificationId, int attempts, string error, DateTimeOffset? retryAt, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        await _outbox.ChangeAsync(
            notificationId,
            item => item.ReadString("Status") == NotificationStatus.Sending,
            item =>
            {
                item["Status"] = retryAt is null ? NotificationStatus.Failed : NotificationStatus.Pending;
                item["Attempts"] = attempts;
                item["LastError"] = error.Length <= MaxErrorLength ? error : error[..MaxErrorLength] + "…";
                item["NextAttemptAt"] = retryAt;
                item["UpdatedAt"] = now;
            },
            cancellationToken);
    }

    public async Task<bool> ResendAsync(string notificationId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        // Attempts start over: the alert gets the full number of rounds again.
        return await _outbox.ChangeAsync(
            notificationId,
            item => item.ReadString("Status") == NotificationStatus.Failed,
            item =>
            {
                item["Status"] = NotificationStatus.Pending;
                item["Attempts"] = 0;
                item["NextAttemptAt"] = now;
                item["UpdatedAt"] = now;
            },
            cancellationToken) is not null;
    }

    public async Task MarkReroutedAsync(string notificationId, string ownerId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        await _outbox.ChangeAsync(
            notificationId,
            item => item.ReadString("Status") == NotificationStatus.Unrouted,
            item =>
            {
                item["Status"] = NotificationStatus.Rerouted;
                item["OwnerId"] = ownerId;
                item["UpdatedAt"] = now;
            },
            cancellationToken);
    }

    /// <summary>Counts the status pointers (no item reads): exact except for a stale pointer a crash may have left.</summary>
    public async Task<NotificationStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        return new NotificationStats(
            await CountAsync(TableOutbox.StatusPartition(NotificationStatus.Pending), cancellationToken),
            await CountAsync(TableOutbox.StatusPartition(NotificationStatus.Failed), cancellationToken),
            await CountAsync(TableOutbox.StatusPartition(NotificationStatus.Unrouted), cancellationToken));
    }

    private async Task<int> CountAsync(string partition, CancellationToken cancellationToken)
    {
        var count = 0;
        string? continuation = null;
        do
        {
            var page = await _outbox.PointersAsync(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), 1000, continuation, cancellationToken);
            count += page.Items.Count;
            continuation = page.Continuation;
        }
        while (continuation is not null);

        return count;
    }
}
