using Microsoft.Data.Sqlite;

namespace WebhookProcessor.Queue;

/// <summary>The queue's prepared statements on the writer connection, reused for every group commit.</summary>
internal sealed class QueueStatements : IDisposable
{
    private readonly SqliteCommand _insertMessage;
    private readonly SqliteCommand _insertDeadLetter;
    private readonly SqliteCommand _selectVisible;
    private readonly SqliteCommand _lease;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _abandon;
    private readonly SqliteCommand _copyToDeadLetters;
    private readonly SqliteCommand _deleteLeased;
    private readonly SqliteCommand[] _all;

    public QueueStatements(SqliteConnection connection)
    {
        _insertMessage = Prepare(connection, """
            INSERT INTO messages (message_id, waba_id, field, entry_time, received_at, body, enqueued_at, visible_at)
            VALUES (@id, @waba, @field, @time, @received, @body, @now, @now)
            """, "@id", "@waba", "@field", "@time", "@received", "@body", "@now");
        _insertDeadLetter = Prepare(connection, """
            INSERT INTO dead_letters (message_id, source, reason, received_at, dead_lettered_at, body, waba_id, field, delivery_count)
            VALUES (@id, @source, @reason, @received, @at, @body, @waba, @field, @count)
            """, "@id", "@source", "@reason", "@received", "@at", "@body", "@waba", "@field", "@count");
        _selectVisible = Prepare(connection, """
            SELECT seq, message_id, waba_id, field, entry_time, received_at, body, delivery_count, last_error
            FROM messages WHERE visible_at <= @now ORDER BY visible_at, seq LIMIT @limit
            """, "@now", "@limit");
        _lease = Prepare(connection,
            "UPDATE messages SET visible_at = @until, delivery_count = delivery_count + 1, lease_token = @token WHERE seq = @seq",
            "@until", "@token", "@seq");
        _delete = Prepare(connection, "DELETE FROM messages WHERE seq = @seq AND lease_token = @token", "@seq", "@token");
        _abandon = Prepare(connection,
            "UPDATE messages SET visible_at = @at, last_error = @error, lease_token = NULL WHERE seq = @seq AND lease_token = @token",
            "@at", "@error", "@seq", "@token");
        _copyToDeadLetters = Prepare(connection, """
            INSERT INTO dead_letters (message_id, source, reason, received_at, dead_lettered_at, body, waba_id, field, delivery_count)
            SELECT message_id, @source, @reason, received_at, @now, CAST(body AS BLOB), waba_id, field, delivery_count
            FROM messages WHERE seq = @seq AND (@token IS NULL OR lease_token = @token)
            """, "@source", "@reason", "@now", "@seq", "@token");
        _deleteLeased = Prepare(connection,
            "DELETE FROM messages WHERE seq = @seq AND (@token IS NULL OR lease_token = @token)", "@seq", "@token");
        _all = [_insertMessage, _insertDeadLetter, _selectVisible, _lease, _delete, _abandon, _copyToDeadLetters, _deleteLeased];
    }

    public void Use(SqliteTransaction transaction)
    {
        foreach (var command in _all)
        {
            command.Transaction = transaction;
        }
    }

    public void InsertMessage(ChangeMessage change, DateTimeOffset now) =>
        Run(_insertMessage, change.EventId, change.WabaId, change.Field, change.EntryTime, change.ReceivedAt.ToUnixTimeMilliseconds(),
            change.Change, now.ToUnixTimeMilliseconds());

    public void InsertDeadLetter(DeadLetter d) =>
        Run(_insertDeadLetter, d.MessageId, d.Source.ToString(), d.Reason, d.ReceivedAt.ToUnixTimeMilliseconds(),
            d.DeadLetteredAt.ToUnixTimeMilliseconds(), d.Body, d.WabaId, d.Field, d.DeliveryCount);

    public IReadOnlyList<Candidate> SelectVisible(DateTimeOffset now, int limit)
    {
        _selectVisible.Parameters[0].Value = now.ToUnixTimeMilliseconds();
        _selectVisible.Parameters[1].Value = limit;
        var candidates = new List<Candidate>();
        using var reader = _selectVisible.ExecuteReader();
        while (reader.Read())
        {
            var message = new ChangeMessage(
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                reader.GetString(6));
            candidates.Add(new Candidate(reader.GetInt64(0), reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetString(8), message));
        }

        return candidates;
    }

    public void Lease(long sequence, string token, DateTimeOffset until) =>
        Run(_lease, until.ToUnixTimeMilliseconds(), token, sequence);

    public void Delete(long sequence, string token) => Run(_delete, sequence, token);

    public void Abandon(long sequence, string token, string error, DateTimeOffset visibleAt) =>
        Run(_abandon, visibleAt.ToUnixTimeMilliseconds(), error, sequence, token);

    public void MoveToDeadLetters(long sequence, string? token, DeadLetterSource source, string reason, DateTimeOffset now)
    {
        Run(_copyToDeadLetters, source.ToString(), reason, now.ToUnixTimeMilliseconds(), sequence, token);
        Run(_deleteLeased, sequence, token);
    }

    public void Dispose()
    {
        foreach (var command in _all)
        {
            command.Dispose();
        }
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private static void Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }

    internal sealed record Candidate(long Sequence, int DeliveryCount, string? LastError, ChangeMessage Message);
}
