using Microsoft.Data.Sqlite;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Reconciliation;

/// <summary>
/// Runs and account claims in the catalog's SQLite file, so the CLI's <c>reconcile</c> and the service
/// see the same claims. Each process has its own writer connection; SQLite serializes the writers of
/// every process on the file, and each claim is one immediate transaction, so two never both hold an account.
/// </summary>
public sealed class SqliteReconciliationStore : IReconciliationStore, IDisposable
{
    // Times are Unix milliseconds. A run is one JSON document (ReconciliationRunDocument); its start time and
    // status are columns too, so listings are ordered by an index and ops can query the file by status.
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS reconciliation_runs (
            run_id     TEXT    PRIMARY KEY,
            started_at INTEGER NOT NULL,
            status     TEXT    NOT NULL,
            document   TEXT    NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_reconciliation_runs_started ON reconciliation_runs (started_at, run_id);
        CREATE TABLE IF NOT EXISTS reconciliation_accounts (
            waba_id           TEXT    PRIMARY KEY,
            last_succeeded_at INTEGER NULL,
            last_run_id       TEXT    NULL,
            held_by           TEXT    NULL,
            held_until        INTEGER NULL
        );
        """;

    private readonly SqliteDatabase _database;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public SqliteReconciliationStore(SqliteDatabase database)
    {
        _database = database;
        _writer = database.OpenWriter(SqliteDatabase.SmallLog);
        SqliteDatabase.Execute(_writer, Schema);
    }

    public Task SaveRunAsync(ReconciliationRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return WriteAsync(transaction =>
        {
            using var command = Command(transaction, """
                INSERT INTO reconciliation_runs (run_id, started_at, status, document) VALUES (@id, @started, @status, @doc)
                ON CONFLICT (run_id) DO UPDATE SET started_at = excluded.started_at, status = excluded.status, document = excluded.document
                """);
            command.Parameters.AddWithValue("@id", run.Id);
            command.Parameters.AddWithValue("@started", run.StartedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("@status", run.Status.ToApiName());
            command.Parameters.AddWithValue("@doc", ReconciliationRunDocument.Serialize(run));
            return command.ExecuteNonQuery();
        }, cancellationToken);
    }

    public async Task<ReconciliationRun?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT document FROM reconciliation_runs WHERE run_id = @id";
        command.Parameters.AddWithValue("@id", runId);
        return await command.ExecuteScalarAsync(cancellationToken) is string document ? ReconciliationRunDocument.Deserialize(document) : null;
    }

    public async Task<IReadOnlyList<ReconciliationRun>> ListRunsAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var connection = await _database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT document FROM reconciliation_runs ORDER BY started_at DESC, run_id DESC LIMIT @limit";
        command.Parameters.AddWithValue("@limit", limit);
        var runs = new List<ReconciliationRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(ReconciliationRunDocument.Deserialize(reader.GetString(0)));
        }

        return runs;
    }

    public Task<string?> TryClaimAccountAsync(string wabaId, string runId, DateTimeOffset now, TimeSpan holdFor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(wabaId);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(holdFor, TimeSpan.Zero);
        return WriteAsync(transaction =>
        {
            using (var insert = Command(transaction, "INSERT OR IGNORE INTO reconciliation_accounts (waba_id) VALUES (@waba)"))
            {
                insert.Parameters.AddWithValue("@waba", wabaId);
                insert.ExecuteNonQuery();
            }

            // The condition is in the UPDATE itself: whatever another process committed before this
            // (immediate) transaction began is what it is checked against.
            using var claim = Command(transaction, """
                UPDATE reconciliation_accounts SET held_by = @run, held_until = @until
                WHERE waba_id = @waba AND (held_by IS NULL OR held_by = @run OR held_until IS NULL OR held_until <= @now)
                """);
            claim.Parameters.AddWithValue("@waba", wabaId);
            claim.Parameters.AddWithValue("@run", runId);
            claim.Parameters.AddWithValue("@now", now.ToUnixTimeMilliseconds());
            claim.Parameters.AddWithValue("@until", (now + holdFor).ToUnixTimeMilliseconds());
            if (claim.ExecuteNonQuery() == 1)
            {
                return null;
            }

            using var holder = Command(transaction, "SELECT held_by FROM reconciliation_accounts WHERE waba_id = @waba");
            holder.Parameters.AddWithValue("@waba", wabaId);
            return holder.ExecuteScalar() as string
                ?? throw new InvalidOperationException($"Account {wabaId} was neither claimed nor held; the reconciliation_accounts row is inconsistent.");
        }, cancellationToken);
    }

    public Task ReleaseAccountAsync(string wabaId, string runId, DateTimeOffset? succeededAt, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction =>
        {
            // Only the holder releases: a run whose claim expired and was taken over changes nothing.
            using var command = Command(transaction, """
                UPDATE reconciliation_accounts
                SET held_by = NULL, held_until = NULL,
                    last_succeeded_at = COALESCE(@succeeded, last_succeeded_at),
                    last_run_id = CASE WHEN @succeeded IS NULL THEN last_run_id ELSE @run END
                WHERE waba_id = @waba AND held_by = @run
                """);
            command.Parameters.AddWithValue("@waba", wabaId);
            command.Parameters.AddWithValue("@run", runId);
            command.Parameters.AddWithValue("@succeeded", succeededAt is { } at ? at.ToUnixTimeMilliseconds() : DBNull.Value);
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public async Task<IReadOnlyList<ReconciledAccount>> ListAccountsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT waba_id, last_succeeded_at, last_run_id, held_by, held_until FROM reconciliation_accounts";
        var accounts = new List<ReconciledAccount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(new ReconciledAccount(
                reader.GetString(0),
                Time(reader, 1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                Time(reader, 4)));
        }

        // Ordinal in .NET terms, the same order the Table store gives, whatever the column's collation.
        accounts.Sort((a, b) => string.CompareOrdinal(a.WabaId, b.WabaId));
        return accounts;
    }

    public void Dispose()
    {
        _writer.Dispose();
        _writeLock.Dispose();
    }

    private static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    private SqliteCommand Command(SqliteTransaction transaction, string sql)
    {
        var command = _writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private async Task<T> WriteAsync<T>(Func<SqliteTransaction, T> write, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            // Microsoft.Data.Sqlite begins IMMEDIATE, and every write here starts with a write statement anyway:
            // the file's write lock is held before anything is read, so a claim's insert, update and read see
            // one state that no other process changes in between.
            using var transaction = _writer.BeginTransaction();
            var result = write(transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
