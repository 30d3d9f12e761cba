using Azure.Data.Tables;
using WebhookProcessor.Catalog;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Azure;

/// <summary>
/// Catalog and history in Table Storage. Each event is one entity group transaction in its template's
/// partition: the history row (an insert: a conflict means the event is a duplicate), the catalog row
/// (ETag-conditional, so two instances never lose each other's update) and the event's alert rows.
/// Index copies for the newest-first queries and the outbox items follow; they are idempotent, and a
/// redelivered event (a duplicate) writes them again, which repairs a crash between the two steps.
/// </summary>
public sealed partial class TableTemplateStore : ITemplateStore
{
    private const int MaxCatalogAttempts = 20;

    private readonly TableClient _catalog;
    private readonly TableClient _events;
    private readonly TableClient _templates;
    private readonly TableOutbox _outbox;
    private readonly ILogger<TableTemplateStore> _logger;
    private readonly TableSetup _setup;

    /// <summary>Catalog rows and template index copies as this process last saw them (see <see cref="RowCache"/>).</summary>
    private readonly RowCache _rows = new();

    public TableTemplateStore(TableServiceClient service, TableNames names, ILogger<TableTemplateStore> logger)
    {
        _catalog = service.GetTableClient(names.Catalog);
        _events = service.GetTableClient(names.Events);
        _templates = service.GetTableClient(names.Templates);
        _outbox = new TableOutbox(service, names);
        _logger = logger;
        _setup = new TableSetup(service, names);
    }

    public async Task<IReadOnlyList<ApplyResult>> ApplyAsync(
        IReadOnlyList<TemplateEvent> events,
        DateTimeOffset processedAt,
        Func<TemplateRecord?, TemplateEvent, EventDecision> decide,
        CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        var results = new List<ApplyResult>(events.Count);
        foreach (var e in events)
        {
            results.Add(await ApplyOneAsync(e, processedAt, decide, cancellationToken));
        }

        return results;
    }

    public async Task<TemplateRecord?> GetTemplateAsync(long templateId, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        var entity = await _catalog.FindAsync(TableRowKeys.Template(templateId), TableRowKeys.CatalogRow, cancellationToken: cancellationToken);
        return entity is null ? null : CatalogEntities.ReadTemplate(entity);
    }

    /// <remarks>
    /// The template index has one partition per account (<see cref="TableRowKeys.Account"/>). Rather than read
    /// every template, each query asks for the first row of the next account partition after the last one
    /// found: one small query per account, however many templates each has.
    /// </remarks>
    public async Task<IReadOnlyList<string>> ListAccountsAsync(CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        // Account partitions are "a" and the escaped id: all of them sort after "a" and before "b".
        var prefix = TableRowKeys.Account(string.Empty);
        var end = prefix[..^1] + (char)(prefix[^1] + 1);
        var accounts = new List<string>();
        var after = prefix;
        while (true)
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey gt {after} and PartitionKey lt {end}");
            var rows = await TablePaging.TakeAsync(_templates, filter, 1, cancellationToken, ["PartitionKey"]);
            if (rows.Count == 0)
            {
                break;
            }

            after = rows[0].PartitionKey;
            // The overall index ("all") sorts among the account partitions; it is no account.
            if (after != TableRowKeys.All)
            {
                accounts.Add(TableKey.Unescape(after[prefix.Length..]));
            }
        }

        // Escaping can reorder keys with escaped characters; the ids themselves decide the order.
        accounts.Sort(StringComparer.Ordinal);
        return accounts;
    }

    public async Task<Page<TemplateRecord>> QueryTemplatesAsync(TemplateQuery query, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        var partition = query.WabaId is { } waba ? TableRowKeys.Account(waba) : TableRowKeys.All;
        var filter = new List<string> { TableClient.CreateQueryFilter($"PartitionKey eq {partition}") };
        if (query.Cursor is not null)
        {
            filter.Add(TableClient.CreateQueryFilter($"RowKey gt {TableRowKeys.DecodeCursor(query.Cursor)}"));
        }

        AddEquals(filter, "Status", query.Status);
        AddEquals(filter, "Category", query.Category);
        AddEquals(filter, "QualityScore", query.Quality);
        if (query.PendingChange is { } pending)
        {
            filter.Add(TableClient.CreateQueryFilter($"HasPending eq {pending}"));
        }

        // The Table service's filters cannot say "contains": that part is checked here on each row read,
        // and reading goes on until the page is full, so the cursor (the last row kept) stays exact.
        Func<TableEntity, bool>? keep = query.NameContains is { } part
            ? row => TemplateNames.Contains(row.GetString("Name"), part)
            : null;
        var rows = await TablePaging.TakeAsync(_templates, TableFilters.And(filter), query.Limit + 1, cancellationToken, keep: keep);
        var page = Page.FromOneExtra(rows, query.Limit, r => TableRowKeys.EncodeCursor(r.RowKey));
        return page.Select(CatalogEntities.ReadTemplate);
    }

    public async Task<Page<StoredEvent>> QueryEventsAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        var partition = query.TemplateId is { } templateId ? TableRowKeys.Template(templateId)
            : query.WabaId is { } waba ? TableRowKeys.Account(waba)
            : TableRowKeys.All;
        var filter = new List<string> { TableClient.CreateQueryFilter($"PartitionKey eq {partition}") };
        if (query.Cursor is not null)
        {
            filter.Add(TableClient.CreateQueryFilter($"RowKey gt {TableRowKeys.DecodeCursor(query.Cursor)}"));
        }

        // Row keys run newest first: "occurred before To" is a lower bound, "at or after From" an upper one.
        if (query.To is { } to)
        {
            filter.Add(TableClient.CreateQueryFilter($"RowKey gt {TableRowKeys.NewestFirstFrom(to) + "~"}"));
        }

        if (query.From is { } from)
        {
            filter.Add(TableClient.CreateQueryFilter($"RowKey lt {TableRowKeys.NewestFirstFrom(from) + "~"}"));
        }

        if (query.TemplateId is not null)
        {
            AddEquals(filter, "WabaId", query.WabaId);
        }

        AddEquals(filter, "Field", query.Field);
        AddEquals(filter, "Event", query.Event);
        AddEquals(filter, "Kind", query.Kind?.ToApiName());
        var rows = await TablePaging.TakeAsync(_events, TableFilters.And(filter), query.Limit + 1, cancellationToken, CatalogEntities.EventSummaryProperties);
        return Page.FromOneExtra(rows, query.Limit, r => TableRowKeys.EncodeCursor(r.RowKey)).Select(CatalogEntities.ReadEvent);
    }

    /// <remarks>
    /// Table Storage cannot count or group: this reads the overall index's rows in the time range (its
    /// row keys run newest first, so the range is one key range) with only the two properties needed, and
    /// counts here. A month of history is read in pages of a thousand small rows.
    /// </remarks>
    public async Task<IReadOnlyList<DailyEventCount>> CountEventsByDayAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        var filter = TableFilters.And(
        [
            TableClient.CreateQueryFilter($"PartitionKey eq {TableRowKeys.All}"),
            TableClient.CreateQueryFilter($"RowKey gt {TableRowKeys.NewestFirstFrom(to) + "~"}"),
            TableClient.CreateQueryFilter($"RowKey lt {TableRowKeys.NewestFirstFrom(from) + "~"}"),
        ]);
        var counts = new Dictionary<(DateOnly Day, string Kind), int>();
        await foreach (var row in _events.AllAsync(filter, ["OccurredAt", "Kind"], cancellationToken))
        {
            var occurred = row.ReadTime("OccurredAt")!.Value.ToUniversalTime();
            var key = (DateOnly.FromDateTime(occurred.UtcDateTime), row.ReadString("Kind") ?? EventKind.Unknown.ToApiName());
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts
            .OrderBy(c => c.Key.Day).ThenBy(c => c.Key.Kind, StringComparer.Ordinal)
            .Select(c => new DailyEventCount(c.Key.Day, c.Key.Kind, c.Value))
            .ToList();
    }

    /// <remarks>
    /// History is keyed by time, not by event id, so this filters the overall index on the id: the
    /// service scans that partition, but returns only the one matching row. Fetching one raw change is a
    /// rare, deliberate ops action, so that is preferred over a further index copy of every event.
    /// </remarks>
    public async Task<string?> GetEventRawAsync(string eventId, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableRowKeys.All} and EventId eq {eventId}");
        var rows = await TablePaging.TakeAsync(_events, filter, 1, cancellationToken);
        return rows.Count == 0 ? null : CatalogEntities.ReadRaw(rows[0]);
    }

    public async Task<int> PruneHistoryAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        var removed = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableRowKeys.All} and ReceivedAt lt {cutoff}");
        var old = new List<TableEntity>();
        await foreach (var row in _events.AllAsync(filter, ["PartitionKey", "RowKey", "Home", "EventId", "WabaId", "TemplateId"], cancellationToken))
        {
            old.Add(row);
        }

        foreach (var row in old)
        {
            // The history row first: a crash after it leaves only index copies, which the next run removes.
            await _catalog.RemoveAsync(row.ReadString("Home")!, TableRowKeys.EventRow(row.ReadString("EventId")!), cancellationToken: cancellationToken);
            if (row.ReadInt64("TemplateId") is { } templateId)
            {
                await _events.RemoveAsync(TableRowKeys.Template(templateId), row.RowKey, cancellationToken: cancellationToken);
            }

            await _events.RemoveAsync(TableRowKeys.Account(row.ReadString("WabaId")!), row.RowKey, cancellationToken: cancellationToken);
            await _events.RemoveAsync(TableRowKeys.All, row.RowKey, cancellationToken: cancellationToken);
            removed++;
        }

        return removed;
    }

    private async Task<ApplyResult> ApplyOneAsync(TemplateEvent e, DateTimeOffset processedAt, Func<TemplateRecord?, TemplateEvent, EventDecision> decide, CancellationToken cancellationToken)
    {
        var home = TableRowKeys.Home(e.TemplateId, e.WabaId);
        for (var attempt = 1; ; attempt++)
        {
            // The row this process last saw saves a read; on a retry it is read afresh.
            var cached = e.TemplateId is not null && attempt == 1 ? _rows.Get(_catalog.Name, home, TableRowKeys.CatalogRow) : null;
            var current = e.TemplateId is null ? null : cached ?? await _catalog.FindAsync(home, TableRowKeys.CatalogRow, cancellationToken: cancellationToken);
            var currentRecord = current is null ? null : CatalogEntities.ReadTemplate(current);
            // Decided against the row read (or cached); its ETag guards the write, so a concurrent change means deciding again.
            var decision = decide(currentRecord, e);
            var alerts = decision.Outbox;

            var eventRow = CatalogEntities.Event(home, TableRowKeys.EventRow(e.EventId), home, e, processedAt, decision.Applied);
            var operations = new List<TableTransactionAction> { new(TableTransactionActionType.Add, eventRow) };
            TableEntity? catalogRow = null;
            if (decision.Next is { } next && next != currentRecord)
            {
                catalogRow = CatalogEntities.Template(home, TableRowKeys.CatalogRow, next, current is null ? 1 : CatalogEntities.Version(current) + 1);
                operations.Add(current is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, catalogRow)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, catalogRow, current.ETag));
            }

            // Decided from the cache to leave the catalog as it is: an empty merge, conditional on the cached
            // ETag, makes the transaction hold only while that row is still the stored one.
            TableEntity? guard = null;
            if (catalogRow is null && cached is not null)
            {
                guard = new TableEntity(home, TableRowKeys.CatalogRow);
                operations.Add(new TableTransactionAction(TableTransactionActionType.UpdateMerge, guard, cached.ETag));
            }

            // An owner with more recipients than one transaction holds gets the rest right after; in practice a handful.
            var inTransaction = alerts.Take(TableCalls.MaxTransactionActions - operations.Count).ToList();
            operations.AddRange(inTransaction.Select(a => new TableTransactionAction(TableTransactionActionType.Add, TableOutbox.AlertRow(home, a))));
            var outcome = await _catalog.TransactAsync(operations, cancellationToken);
            if (outcome.Succeeded)
            {
                RememberCatalog(catalogRow ?? current, guard);
                await WriteIndexesAsync(eventRow, catalogRow, currentRecord, cancellationToken);
                await _outbox.AddAsync(alerts, processedAt, cancellationToken);
                return new ApplyResult(e.EventId, Duplicate: false, CatalogApplied: decision.Applied, alerts.Count);
            }

            if (outcome.FailedIndex == 0 || (outcome.FailedIndex is null && await _catalog.FindAsync(home, eventRow.RowKey, ["RowKey"], cancellationToken) is not null))
            {
                await RepairAsync(home, eventRow.RowKey, cancellationToken);
                return new ApplyResult(e.EventId, Duplicate: true, CatalogApplied: false);
            }

            // Another instance wrote the catalog row between our read and our write: read it again and re-apply.
            _rows.Drop(_catalog.Name, home, TableRowKeys.CatalogRow);
            if (attempt >= MaxCatalogAttempts)
            {
                throw new InvalidOperationException($"Template {e.TemplateId} kept changing under event {e.EventId}; gave up after {attempt} attempts.");
            }

            Log.CatalogContended(_logger, e.TemplateId, e.EventId, attempt);
        }
    }

    /// <summary>Index copies: history newest first (per template, account and overall) and the catalog per account and overall.</summary>
    private async Task WriteIndexesAsync(TableEntity eventRow, TableEntity? catalogRow, TemplateRecord? previous, CancellationToken cancellationToken)
    {
        var rowKey = TableRowKeys.NewestFirst(eventRow.ReadTime("OccurredAt")!.Value, eventRow.ReadString("EventId")!);
        var partitions = new List<string> { TableRowKeys.Account(eventRow.ReadString("WabaId")!), TableRowKeys.All };
        if (eventRow.ReadInt64("TemplateId") is { } templateId)
        {
            partitions.Add(TableRowKeys.Template(templateId));
        }

        foreach (var partition in partitions)
        {
            await _events.UpsertAsync(CatalogEntities.Copy(eventRow, partition, rowKey), cancellationToken);
        }

        if (catalogRow is not null)
        {
            await WriteTemplateIndexAsync(catalogRow, previous, cancellationToken);
        }
    }

    private async Task WriteTemplateIndexAsync(TableEntity catalogRow, TemplateRecord? previous, CancellationToken cancellationToken)
    {
        var record = CatalogEntities.ReadTemplate(catalogRow);
        var rowKey = TableRowKeys.Number(record.TemplateId);
        if (previous is not null && previous.WabaId != record.WabaId)
        {
            await _templates.RemoveAsync(TableRowKeys.Account(previous.WabaId), rowKey, cancellationToken: cancellationToken);
        }

        foreach (var partition in new[] { TableRowKeys.Account(record.WabaId), TableRowKeys.All })
        {
            await TableIndex.WriteIfNewerAsync(_templates, CatalogEntities.Copy(catalogRow, partition, rowKey), CatalogEntities.Version(catalogRow), _rows, cancellationToken);
        }
    }

    /// <summary>
    /// A duplicate may be the redelivery of an event whose transaction committed just before a crash:
    /// write its index copies and outbox items again (all idempotent) from what was committed.
    /// </summary>
    private async Task RepairAsync(string home, string eventRowKey, CancellationToken cancellationToken)
    {
        var stored = await _catalog.FindAsync(home, eventRowKey, cancellationToken: cancellationToken);
        if (stored is null)
        {
            return;
        }

        await WriteIndexesAsync(stored, null, null, cancellationToken);
        if (stored.ReadInt64("TemplateId") is not null && await _catalog.FindAsync(home, TableRowKeys.CatalogRow, cancellationToken: cancellationToken) is { } catalogRow)
        {
            await WriteTemplateIndexAsync(catalogRow, null, cancellationToken);
        }

        var alerts = new List<OutboxItem>();
        var filter = TableFilters.And(TableClient.CreateQueryFilter($"PartitionKey eq {home} and EventId eq {stored.ReadString("EventId")!}"), TableFilters.StartsWith("RowKey", "n_"));
        await foreach (var row in _catalog.AllAsync(filter, cancellationToken: cancellationToken))
        {
            alerts.Add(TableOutbox.ReadAlertRow(row));
        }

        await _outbox.AddAsync(alerts, stored.ReadTime("ProcessedAt")!.Value, cancellationToken);
    }

    /// <summary>Caches the catalog row as it now stands: the one written, or the one read (with the ETag the guard gave it).</summary>
    private void RememberCatalog(TableEntity? row, TableEntity? guard)
    {
        if (row is null)
        {
            return;
        }

        if (guard is not null)
        {
            row = row.CopyTo(row.PartitionKey, row.RowKey);
            row.ETag = guard.ETag;
        }

        _rows.Put(_catalog.Name, row);
    }

    private static void AddEquals(List<string> filter, string property, string? value)
    {
        if (value is not null)
        {
            filter.Add(TableFilters.Equal(property, value));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 60, Level = LogLevel.Debug, Message = "Template {TemplateId} changed under event {EventId} (attempt {Attempt}); re-reading the catalog row")]
        public static partial void CatalogContended(ILogger logger, long? templateId, string eventId, int attempt);
    }
}
