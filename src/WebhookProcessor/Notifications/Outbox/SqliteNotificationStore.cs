using System.Text;
using Microsoft.Data.Sqlite;
using WebhookProcessor.Catalog;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Notifications;

/// <summary>
/// Owners and the outbox in the catalog's SQLite file. The catalog store writes new alerts in its own
/// transactions (with their events); this store reads them and records what delivery did. It has its
/// own writer connection: SQLite serializes the two writers and both wait for each other (busy timeout).
/// </summary>
public sealed class SqliteNotificationStore : INotificationStore, IDisposable
{
    /// <summary>The owner, other than <c>@id</c>, holding match <c>@key</c>; answered from an index, never a scan.</summary>
    internal const string ClashQuery = "SELECT owner_id FROM owners WHERE match_key = @key AND owner_id <> @id ORDER BY owner_id LIMIT 1";

    private static readonly string Select = $"SELECT {NotificationSchema.Columns} FROM notifications";

    private readonly SqliteDatabase _database;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public SqliteNotificationStore(SqliteDatabase database)
    {
        _database = database;
        _writer = database.OpenWriter();
        SqliteDatabase.Execute(_writer, NotificationSchema.Create);
        SqliteDatabase.AddColumnIfMissing(_writer, "notifications", NotificationSchema.TraceParentColumn, "TEXT NULL");
        AddMatchKeys(_writer);
    }

    public async Task<IReadOnlyList<Owner>> ListOwnersAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenReaderAsync(cancellationToken);
        return NotificationRows.LoadOwners(connection);
    }

    public async Task<Owner?> GetOwnerAsync(string ownerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT document FROM owners WHERE owner_id = @id";
        command.Parameters.AddWithValue("@id", ownerId);
        return await command.ExecuteScalarAsync(cancellationToken) is string document ? NotificationRows.DeserializeOwner(document) : null;
    }

    public async Task<Page<Owner>> ListOwnersPageAsync(int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT owner_id, document FROM owners WHERE (@after IS NULL OR owner_id > @after) ORDER BY owner_id LIMIT @limit";
        command.Parameters.AddWithValue("@after", cursor is null ? DBNull.Value : Cursor.DecodeKey(cursor));
        command.Parameters.AddWithValue("@limit", limit + 1);
        var owners = new List<Owner>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            owners.Add(NotificationRows.DeserializeOwner(reader.GetString(1)));
        }

        return Page.FromOneExtra(owners, limit, o => Cursor.EncodeKey(o.Id));
    }

    public Task<OwnerSaveResult> SaveOwnerAsync(Owner owner, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction =>
        {
            // One writer holds the lock, so looking first (both lookups use an index) cannot race another save.
            var key = OwnerMatchKey.Of(owner.Match);
            using var clash = Command(transaction, ClashQuery);
            clash.Parameters.AddWithValue("@key", key);
            clash.Parameters.AddWithValue("@id", owner.Id);
            if (clash.ExecuteScalar() is string other)
            {
                return OwnerSaveResult.Clash(other);
            }

            using var exists = Command(transaction, "SELECT COUNT(*) FROM owners WHERE owner_id = @id");
            exists.Parameters.AddWithValue("@id", owner.Id);
            var created = Convert.ToInt64(exists.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0;
            using var command = Command(transaction, """
                INSERT INTO owners (owner_id, document, updated_at, match_key) VALUES (@id, @doc, @now, @key)
                ON CONFLICT (owner_id) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at, match_key = excluded.match_key
                """);
            command.Parameters.AddWithValue("@id", owner.Id);
            command.Parameters.AddWithValue("@doc", NotificationRows.SerializeOwner(owner));
            command.Parameters.AddWithValue("@now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("@key", key);
            command.ExecuteNonQuery();
            return new OwnerSaveResult(created);
        }, cancellationToken);

    public Task<bool> DeleteOwnerAsync(string ownerId, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction =>
        {
            using var command = Command(transaction, "DELETE FROM owners WHERE owner_id = @id");
            command.Parameters.AddWithValue("@id", ownerId);
            return command.ExecuteNonQuery() > 0;
        }, cancellationToken);

    public Task<int> AddAsync(IReadOnlyList<PlannedAlert> alerts, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction =>
        {
            using var command = OutboxRows.CreateInsert(_writer);
            command.Transaction = transaction;
            var added = 0;
            foreach (var item in OutboxItems.From(alerts))
            {
                OutboxRows.Bind(command, item, now);
                added += command.ExecuteNonQuery();
            }

            return added;
        }, cancellationToken);

    public async Task<Notification?> GetAsync(string notificationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"{Select} WHERE notification_id = @id";
        command.Parameters.AddWithValue("@id", notificationId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? NotificationRows.Read(reader) : null;
    }

    public async Task<Page<Notification>> QueryAsync(NotificationQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = new StringBuilder(" WHERE 1 = 1");
        SqlFilter.Equal(command, where, "template_id", query.TemplateId);
        SqlFilter.Equal(command, where, "status", query.Status);
        SqlFilter.Equal(command, where, "kind", query.Kind);
        SqlFilter.Equal(command, where, "channel", query.Channel);
        if (query.Cursor is not null)
        {
            where.Append(" AND seq < @after");
            command.Parameters.AddWithValue("@after", Cursor.DecodeSequence(query.Cursor));
        }

        command.CommandText = $"{Select}{where} ORDER BY seq DESC LIMIT @limit";
        command.Parameters.AddWithValue("@limit", query.Limit + 1);
        var items = new List<Notification>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(NotificationRows.Read(reader));
            }
        }

        return Page.FromOneExtra(items, query.Limit, n => Cursor.EncodeSequence(n.Sequence));
    }

    public Task<IReadOnlyList<Notification>> TakeDueAsync(AlertChannel channel, DateTimeOffset now, TimeSpan claimFor, int limit, CancellationToken cancellationToken = default) =>
        WriteAsync<IReadOnlyList<Notification>>(transaction =>
        {
            using var command = Command(transaction, $"""
                UPDATE notifications SET status = 'sending', next_attempt_at = @until, updated_at = @now
                WHERE seq IN (SELECT seq FROM notifications
                              WHERE status IN ('pending', 'sending') AND channel = @channel AND next_attempt_at <= @now
                              ORDER BY next_attempt_at, seq LIMIT @limit)
                RETURNING {NotificationSchema.Columns}
                """);
            command.Parameters.AddWithValue("@until", (now + claimFor).ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("@now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("@channel", NotificationRows.ChannelName(channel));
            command.Parameters.AddWithValue("@limit", limit);
            using var reader = command.ExecuteReader();
            var items = new List<Notification>();
            while (reader.Read())
            {
                items.Add(NotificationRows.Read(reader));
            }

            return items.OrderBy(n => n.Sequence).ToList();
        }, cancellationToken);

    public Task MarkSentAsync(string notificationId, int attempts, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction =>
        {
            using var command = Command(transaction, """
                UPDATE notifications SET status = 'sent', attempts = @attempts, sent_at = @now, next_attempt_at = NULL, last_error = NULL, updated_at = @now
                WHERE notification_id = @id AND status = 'sending'
                """);
            command.Parameters.AddWithValue("@id", notificationId);
            command.Parameters.AddWithValue("@attempts", attempts);
            command.Parameters.AddWithValue("@now", now.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public Task MarkFailedAttemptAsync(string notificationId, int attempts, string error, DateTimeOffset? retryAt, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction =>
        {
            using var command = Command(transaction, """
                UPDATE notifications SET status = @status, attempts = @attempts, last_error = @error, next_attempt_at = @next, updated_at = @now
                WHERE notification_id = @id AND status = 'sending'
                """);
            command.Parameters.AddWithValue("@id", notificationId);
            command.Parameters.AddWithValue("@status", retryAt is null ? NotificationStatus.Failed : NotificationStatus.Pending);
            command.Parameters.AddWithValue("@attempts", attempts);
            command.Parameters.AddWithValue("@error", error.Length <= 2000 ? error : error[..2000] + "…");
            command.Parameters.AddWithValue("@next", (object?)retryAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
            command.Parameters.AddWithValue("@now", now.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public Task<bool> ResendAsync(string notificationId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction =>
        {
            // Attempts start over: the alert gets the full number of rounds again.
            using var command = Command(transaction, """
                UPDATE notifications SET status = 'pending', attempts = 0, next_attempt_at = @now, updated_at = @now
                WHERE notification_id = @id AND status = 'failed'
                """);
            command.Parameters.AddWithValue("@id", notificationId);
            command.Parameters.AddWithValue("@now", now.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery() > 0;
        }, cancellationToken);

    public Task MarkReroutedAsync(string notificationId, string ownerId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction =>
        {
            using var command = Command(transaction, """
                UPDATE notifications SET status = 'rerouted', owner_id = @owner, updated_at = @now
                WHERE notification_id = @id AND status = 'unrouted'
                """);
            command.Parameters.AddWithValue("@id", notificationId);
            command.Parameters.AddWithValue("@owner", ownerId);
            command.Parameters.AddWithValue("@now", now.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public Task<int> ReleaseClaimsAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction =>
        {
            using var command = Command(transaction, "UPDATE notifications SET status = 'pending', next_attempt_at = @now, updated_at = @now WHERE status = 'sending'");
            command.Parameters.AddWithValue("@now", now.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public async Task<NotificationStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM notifications WHERE status IN ('pending', 'sending')),
                   (SELECT COUNT(*) FROM notifications WHERE status = 'failed'),
                   (SELECT COUNT(*) FROM notifications WHERE status = 'unrouted')
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new NotificationStats(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
    }

    public void Dispose()
    {
        _writer.Dispose();
        _writeLock.Dispose();
    }


    /// <summary>
    /// Files from before the match key get the column, each owner's key, and the index, once. The index
    /// is not UNIQUE: owners saved before this check existed may already share a match, and refusing to
    /// open such a file would stop the service; the save path keeps new clashes out.
    /// </summary>
    private static void AddMatchKeys(SqliteConnection writer)
    {
        using var transaction = writer.BeginTransaction();
        SqliteDatabase.AddColumnIfMissing(writer, "owners", "match_key", "TEXT NULL", transaction);

        var missing = new List<(string Id, string Key)>();
        using (var read = writer.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT owner_id, document FROM owners WHERE match_key IS NULL";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                missing.Add((reader.GetString(0), OwnerMatchKey.Of(NotificationRows.DeserializeOwner(reader.GetString(1)).Match)));
            }
        }

        using (var update = writer.CreateCommand())
        {
            update.Transaction = transaction;
            update.CommandText = "UPDATE owners SET match_key = @key WHERE owner_id = @id";
            var key = update.Parameters.Add("@key", SqliteType.Text);
            var id = update.Parameters.Add("@id", SqliteType.Text);
            foreach (var owner in missing)
            {
                key.Value = owner.Key;
                id.Value = owner.Id;
                update.ExecuteNonQuery();
            }

            update.CommandText = "CREATE INDEX IF NOT EXISTS ix_owners_match ON owners (match_key)";
            update.Parameters.Clear();
            update.ExecuteNonQuery();
        }

        transaction.Commit();
    }
    private async Task<T> WriteAsync<T>(Func<SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            using var transaction = _writer.BeginTransaction();
            var result = work(transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private SqliteCommand Command(SqliteTransaction transaction, string sql)
    {
        var command = _writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
