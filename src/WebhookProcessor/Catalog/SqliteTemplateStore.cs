using System.Text;
using Microsoft.Data.Sqlite;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Catalog;

/// <summary>Catalog and history in one SQLite file; each batch of events is one transaction.</summary>
public sealed class SqliteTemplateStore : ITemplateStore, IStartsWithHost, IDisposable, IAsyncDisposable
{
    // octet_length() of TEXT reads the size from the record header: listings never load the raw change.
    private static readonly string EventSelect =
        $"SELECT seq, {string.Join(", ", CatalogSchema.EventColumns.Select(c => c == "raw" ? "octet_length(raw)" : c))} FROM events";
    private static readonly string TemplateSelect = $"SELECT {string.Join(", ", CatalogSchema.TemplateColumns)} FROM templates";

    /// <summary>1970-01-01 as a <see cref="DateOnly.DayNumber"/>.</summary>
    private static readonly int DaysToEpoch = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    private readonly SqliteDatabase _database;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SqliteCommand _insertEvent;
    private readonly SqliteCommand _markStale;
    private readonly SqliteCommand _selectTemplate;
    private readonly SqliteCommand _upsertTemplate;
    private SqliteCommand? _insertOutbox;

    private readonly WalCheckpointer _checkpointer;
    private int _disposed;

    /// <remarks>
    /// Outbox items go to the <c>notifications</c> table in the same file, which the notification store
    /// creates; a store that is only ever given decisions without outbox items never touches it.
    /// </remarks>
    public SqliteTemplateStore(SqliteDatabase database, TimeProvider clock, ILogger<SqliteTemplateStore> logger)
    {
        _database = database;
        _writer = database.OpenWriter();
        // Created stopped: resolving the store starts nothing; StartWithHost starts it with the host.
        _checkpointer = new WalCheckpointer(database, clock, logger);
        SqliteDatabase.Execute(_writer, CatalogSchema.Create);
        SqliteDatabase.AddColumnIfMissing(_writer, "events", "source", CatalogSchema.SourceColumnDefinition);
        _insertEvent = Prepare(
            $"INSERT OR IGNORE INTO events ({string.Join(", ", CatalogSchema.EventColumns)}) VALUES ({Parameters(CatalogSchema.EventColumns)})",
            CatalogSchema.EventColumns.Length);
        _markStale = Prepare("UPDATE events SET catalog_applied = 0 WHERE event_id = @p0", 1);
        _selectTemplate = Prepare($"{TemplateSelect} WHERE template_id = @p0", 1);
        _upsertTemplate = Prepare(
            $"INSERT OR REPLACE INTO templates ({string.Join(", ", CatalogSchema.TemplateColumns)}) VALUES ({Parameters(CatalogSchema.TemplateColumns)})",
            CatalogSchema.TemplateColumns.Length);
    }

    public async Task<IReadOnlyList<ApplyResult>> ApplyAsync(
        IReadOnlyList<TemplateEvent> events,
        DateTimeOffset processedAt,
        Func<TemplateRecord?, TemplateEvent, EventDecision> decide,
        CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var results = new List<ApplyResult>(events.Count);
            var touched = new Dictionary<long, TemplateRecord?>();
            using var transaction = _writer.BeginTransaction();
            foreach (var command in new[] { _insertEvent, _markStale, _selectTemplate, _upsertTemplate })
            {
                command.Transaction = transaction;
            }

            foreach (var e in events)
            {
                // Insert first: the unique event id, not a prior lookup, decides what is a duplicate.
                if (Run(_insertEvent, CatalogRows.EventValues(e, processedAt, applied: true)) == 0)
                {
                    results.Add(new ApplyResult(e.EventId, Duplicate: true, CatalogApplied: false));
                    continue;
                }

                // Read inside the transaction (or from this batch's own writes): nobody else writes in between.
                TemplateRecord? current = null;
                if (e.TemplateId is { } templateId && !touched.TryGetValue(templateId, out current))
                {
                    current = LoadTemplate(templateId);
                }

                var decision = decide(current, e);
                if (decision.Next is { } next && next != current)
                {
                    Run(_upsertTemplate, CatalogRows.TemplateValues(next));
                    touched[next.TemplateId] = next;
                }

                if (!decision.Applied)
                {
                    Run(_markStale, e.EventId);
                }

                var written = 0;
                foreach (var item in decision.Outbox)
                {
                    var insert = InsertOutbox(transaction);
                    OutboxRows.Bind(insert, item, processedAt);
                    written += insert.ExecuteNonQuery();
                }

                results.Add(new ApplyResult(e.EventId, Duplicate: false, CatalogApplied: decision.Applied, written));
            }

            transaction.Commit();
            return results;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<TemplateRecord?> GetTemplateAsync(long templateId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"{TemplateSelect} WHERE template_id = @id";
        command.Parameters.AddWithValue("@id", templateId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? CatalogRows.ReadTemplate(reader) : null;
    }

    public async Task<IReadOnlyList<string>> ListAccountsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Answered from ix_templates_waba, which leads with the account.
        command.CommandText = "SELECT DISTINCT waba_id FROM templates";
        var accounts = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                accounts.Add(reader.GetString(0));
            }
        }

        accounts.Sort(StringComparer.Ordinal);
        return accounts;
    }

    public async Task<Page<TemplateRecord>> QueryTemplatesAsync(TemplateQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = new StringBuilder(" WHERE 1 = 1");
        SqlFilter.Equal(command, where, "waba_id", query.WabaId);
        SqlFilter.Equal(command, where, "status", query.Status);
        SqlFilter.Equal(command, where, "category", query.Category);
        SqlFilter.Equal(command, where, "quality_score", query.Quality);
        if (query.NameContains is { } part)
        {
            // instr, not LIKE: a name part holding % or _ is matched literally, with nothing to escape.
            where.Append(" AND instr(lower(name), @name_part) > 0");
            command.Parameters.AddWithValue("@name_part", TemplateNames.Fold(part));
        }

        if (query.PendingChange is { } pending)
        {
            where.Append(pending ? " AND pending_to IS NOT NULL" : " AND pending_to IS NULL");
        }

        if (query.Cursor is not null)
        {
            where.Append(" AND template_id > @after");
            command.Parameters.AddWithValue("@after", Cursor.DecodeSequence(query.Cursor));
        }

        command.CommandText = $"{TemplateSelect}{where} ORDER BY template_id LIMIT @limit";
        command.Parameters.AddWithValue("@limit", query.Limit + 1);
        var items = new List<TemplateRecord>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(CatalogRows.ReadTemplate(reader));
            }
        }

        return Page.FromOneExtra(items, query.Limit, t => Cursor.EncodeSequence(t.TemplateId));
    }

    public async Task<Page<StoredEvent>> QueryEventsAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = new StringBuilder(" WHERE 1 = 1");
        SqlFilter.Equal(command, where, "waba_id", query.WabaId);
        SqlFilter.Equal(command, where, "template_id", query.TemplateId);
        SqlFilter.Equal(command, where, "field", query.Field);
        SqlFilter.Equal(command, where, "event", query.Event);
        SqlFilter.Equal(command, where, "kind", query.Kind?.ToApiName());
        if (query.From is { } from)
        {
            where.Append(" AND occurred_at >= @from");
            command.Parameters.AddWithValue("@from", from.ToUnixTimeMilliseconds());
        }

        if (query.To is { } to)
        {
            where.Append(" AND occurred_at < @to");
            command.Parameters.AddWithValue("@to", to.ToUnixTimeMilliseconds());
        }

        if (query.Cursor is not null)
        {
            var (time, sequence) = Cursor.DecodeTimeAndSequence(query.Cursor);
            where.Append(" AND (occurred_at < @ct OR (occurred_at = @ct AND seq < @cs))");
            command.Parameters.AddWithValue("@ct", time);
            command.Parameters.AddWithValue("@cs", sequence);
        }

        command.CommandText = $"{EventSelect}{where} ORDER BY occurred_at DESC, seq DESC LIMIT @limit";
        command.Parameters.AddWithValue("@limit", query.Limit + 1);
        var items = new List<(long Sequence, StoredEvent Event)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add((reader.GetInt64(0), CatalogRows.ReadEvent(reader, 1)));
            }
        }

        var page = Page.FromOneExtra(items, query.Limit, i => Cursor.EncodeTimeAndSequence(i.Event.Event.OccurredAt.ToUnixTimeMilliseconds(), i.Sequence));
        return new Page<StoredEvent>(page.Items.Select(i => i.Event).ToList(), page.NextCursor);
    }

    public async Task<IReadOnlyList<DailyEventCount>> CountEventsByDayAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Times are Unix milliseconds, so whole days since the epoch are UTC days; ix_events_time bounds the scan.
        command.CommandText = """
            SELECT occurred_at / 86400000 AS day, kind, COUNT(*) FROM events
            WHERE occurred_at >= @from AND occurred_at < @to
            GROUP BY day, kind ORDER BY day, kind
            """;
        command.Parameters.AddWithValue("@from", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("@to", to.ToUnixTimeMilliseconds());
        var counts = new List<DailyEventCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new DailyEventCount(DateOnly.FromDayNumber(DaysToEpoch + (int)reader.GetInt64(0)), reader.GetString(1), reader.GetInt32(2)));
        }

        return counts;
    }

    public async Task<string?> GetEventRawAsync(string eventId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT raw FROM events WHERE event_id = @id";
        command.Parameters.AddWithValue("@id", eventId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<int> PruneHistoryAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            using var command = _writer.CreateCommand();
            command.CommandText = "DELETE FROM events WHERE received_at < @cutoff";
            command.Parameters.AddWithValue("@cutoff", cutoff.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Starts the background WAL checkpointer; idempotent. Without it SQLite's own automatic checkpoint bounds the log.</summary>
    public void Start() => _checkpointer.Start();

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _checkpointer.DisposeAsync();
        _insertEvent.Dispose();
        _markStale.Dispose();
        _selectTemplate.Dispose();
        _upsertTemplate.Dispose();
        _insertOutbox?.Dispose();
        _writer.Dispose();
        _writeLock.Dispose();
    }

    /// <summary>Made on first use: until then the outbox table need not exist (see the constructor).</summary>
    private SqliteCommand InsertOutbox(SqliteTransaction transaction)
    {
        _insertOutbox ??= OutboxRows.CreateInsert(_writer);
        _insertOutbox.Transaction = transaction;
        return _insertOutbox;
    }

    private TemplateRecord? LoadTemplate(long templateId)
    {
        _selectTemplate.Parameters[0].Value = templateId;
        using var reader = _selectTemplate.ExecuteReader();
        return reader.Read() ? CatalogRows.ReadTemplate(reader) : null;
    }

    private SqliteCommand Prepare(string sql, int parameterCount)
    {
        var command = _writer.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameterCount; i++)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = $"@p{i}" });
        }

        return command;
    }

    private static string Parameters(string[] columns) => string.Join(", ", columns.Select((_, i) => $"@p{i}"));

    private static int Run(SqliteCommand command, IReadOnlyList<object?> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command.ExecuteNonQuery();
    }

    private static int Run(SqliteCommand command, params object?[] values) => Run(command, (IReadOnlyList<object?>)values);
}
