using Azure.Data.Tables;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.Azure;

/// <summary>
/// Runs and account claims in the catalog table, in two partitions of their own: runs newest first (see
/// <see cref="TableRowKeys.ReconciliationRun"/>), and one row per account. A claim is a read followed by
/// an insert or an ETag-conditional replace; when another writer got in between (409 or 412), the row is
/// read again and the decision made afresh, so a live holder is never overwritten.
/// </summary>
/// <remarks>
/// The catalog table rather than a table of its own: every deployment already has it (the infra creates
/// the tables it lists), and these few rows are read by key or by partition only.
/// </remarks>
public sealed class TableReconciliationStore : IReconciliationStore
{
    /// <summary>Each retry follows a write by someone else; two writers settle it in one or two.</summary>
    private const int MaxAttempts = 10;

    private readonly TableClient _table;
    private readonly TableSetup _setup;

    public TableReconciliationStore(TableServiceClient service, TableNames names)
    {
        _table = service.GetTableClient(names.Catalog);
        _setup = new TableSetup(service, names);
    }

    /// <exception cref="ArgumentException">The id is not one <see cref="ReconciliationRunIds.New"/> makes: its row key follows from it.</exception>
    /// <exception cref="TableEntityTooLargeException">The run would not fit one entity (some thousands of accounts).</exception>
    public async Task SaveRunAsync(ReconciliationRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var rowKey = TableRowKeys.ReconciliationRun(run.Id)
            ?? throw new ArgumentException($"'{run.Id}' is not a reconciliation run id.", nameof(run));
        var entity = new TableEntity(TableRowKeys.ReconciliationRuns, rowKey)
        {
            ["RunId"] = run.Id,
            ["Status"] = run.Status.ToApiName(),
            ["StartedAt"] = ReconciliationRunDocument.Millis(run.StartedAt),
        };
        // A run over many accounts passes the 64 KiB a property holds; replacing the whole entity drops
        // the chunks of a longer earlier version.
        TableLargeProperty.SetString(entity, "Document", ReconciliationRunDocument.Serialize(run));
        await _setup.EnsureAsync(cancellationToken);
        await _table.UpsertAsync(entity, cancellationToken);
    }

    public async Task<ReconciliationRun?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        if (TableRowKeys.ReconciliationRun(runId) is not { } rowKey)
        {
            return null;
        }

        await _setup.EnsureAsync(cancellationToken);
        var entity = await _table.FindAsync(TableRowKeys.ReconciliationRuns, rowKey, cancellationToken: cancellationToken);
        return entity is null ? null : ReadRun(entity);
    }

    public async Task<IReadOnlyList<ReconciliationRun>> ListRunsAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0)
        {
            return [];
        }

        await _setup.EnsureAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableRowKeys.ReconciliationRuns}");
        var rows = await TablePaging.TakeAsync(_table, filter, limit, cancellationToken);
        return rows.Select(ReadRun).ToList();
    }

    public async Task<string?> TryClaimAccountAsync(string wabaId, string runId, DateTimeOffset now, TimeSpan holdFor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(wabaId);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(holdFor, TimeSpan.Zero);
        await _setup.EnsureAsync(cancellationToken);
        var rowKey = TableKey.Escape(wabaId);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var current = await _table.FindAsync(TableRowKeys.ReconciliationAccounts, rowKey, cancellationToken: cancellationToken);
            if (current is null)
            {
                var fresh = new TableEntity(TableRowKeys.ReconciliationAccounts, rowKey) { ["WabaId"] = wabaId };
                Hold(fresh, runId, now + holdFor);
                if (await _table.InsertAsync(fresh, cancellationToken))
                {
                    return null;
                }

                continue; // 409: another writer made the row first; decide against what it wrote.
            }

            var holder = current.ReadString("HeldBy");
            if (holder is not null && holder != runId && current.ReadTime("HeldUntil") is { } until && until > now)
            {
                return holder;
            }

            var next = current.CopyTo(current.PartitionKey, current.RowKey);
            Hold(next, runId, now + holdFor);
            if (await _table.ReplaceIfAsync(next, current.ETag, cancellationToken))
            {
                return null;
            }

            // 412: written since it was read (perhaps claimed by another run); read it again.
        }

        throw new InvalidOperationException($"The reconciliation row of account {wabaId} kept changing; gave up claiming it after {MaxAttempts} attempts.");
    }

    public async Task ReleaseAccountAsync(string wabaId, string runId, DateTimeOffset? succeededAt, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        var rowKey = TableKey.Escape(wabaId);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var current = await _table.FindAsync(TableRowKeys.ReconciliationAccounts, rowKey, cancellationToken: cancellationToken);
            if (current is null || current.ReadString("HeldBy") != runId)
            {
                return; // Only the holder releases: a run whose claim was taken over changes nothing.
            }

            var next = current.CopyTo(current.PartitionKey, current.RowKey);
            next.Remove("HeldBy");
            next.Remove("HeldUntil");
            if (succeededAt is { } at)
            {
                next["LastSucceededAt"] = ReconciliationRunDocument.Millis(at);
                next["LastRunId"] = runId;
            }

            if (await _table.ReplaceIfAsync(next, current.ETag, cancellationToken))
            {
                return;
            }
        }

        throw new InvalidOperationException($"The reconciliation row of account {wabaId} kept changing; gave up releasing it after {MaxAttempts} attempts.");
    }

    public async Task<IReadOnlyList<ReconciledAccount>> ListAccountsAsync(CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableRowKeys.ReconciliationAccounts}");
        var accounts = new List<ReconciledAccount>();
        await foreach (var row in _table.AllAsync(filter, cancellationToken: cancellationToken))
        {
            accounts.Add(new ReconciledAccount(
                row.ReadString("WabaId") ?? TableKey.Unescape(row.RowKey),
                row.ReadTime("LastSucceededAt"),
                row.ReadString("LastRunId"),
                row.ReadString("HeldBy"),
                row.ReadTime("HeldUntil")));
        }

        // Escaping can change the order of keys with escaped characters; the ids themselves decide.
        accounts.Sort((a, b) => string.CompareOrdinal(a.WabaId, b.WabaId));
        return accounts;
    }

    private static void Hold(TableEntity entity, string runId, DateTimeOffset until)
    {
        entity["HeldBy"] = runId;
        entity["HeldUntil"] = ReconciliationRunDocument.Millis(until);
    }

    private static ReconciliationRun ReadRun(TableEntity entity) =>
        ReconciliationRunDocument.Deserialize(TableLargeProperty.GetString(entity, "Document")
            ?? throw new InvalidDataException($"The reconciliation run row {entity.RowKey} has no document."));
}
