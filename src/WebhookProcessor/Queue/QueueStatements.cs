using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Queue;

/// <summary>The queue's prepared statements on the writer connection, reused for every group commit.</summary>
internal sealed class QueueStatements : IDisposable
{
    private readonly RawStatement _insertMessage;
    private readonly SqliteCommand _insertDeadLetter;
    private readonly SqliteCommand _lease;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _abandon;
    private readonly SqliteCommand _copyToDeadLetters;
    private readonly SqliteCommand _deleteLeased;
    private readonly SqliteCommand _deleteDeadLetter;
    private readonly SqliteCommand[] _all;

    public QueueStatements(SqliteConnection connection)
    {
        _insertMessage = new RawStatement(connection, """
            INSERT INTO messages (message_id, waba_id, field, entry_time, received_at, body, enqueued_at, visible_at, trace_parent)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)
            """);
        _insertDeadLetter = Prepare(connection, """
            INSERT INTO dead_letters (message_id, source, reason, received_at, dead_lettered_at, body, waba_id, field, delivery_count)
            VALUES (@id, @source, @reason, @received, @at, @body, @waba, @field, @count)
            """, "@id", "@source", "@reason", "@received", "@at", "@body", "@waba", "@field", "@count");
        // One statement leases a whole batch; RETURNING gives the rows with their new delivery count.
        _lease = Prepare(connection, """
            UPDATE messages SET visible_at = @until, delivery_count = delivery_count + 1, lease_token = @token
            WHERE seq IN (SELECT seq FROM messages WHERE visible_at <= @now ORDER BY visible_at, seq LIMIT @limit)
            RETURNING seq, message_id, waba_id, field, entry_time, received_at, body, delivery_count, last_error, trace_parent
            """, "@until", "@token", "@now", "@limit");
        _delete = Prepare(connection,
            "DELETE FROM messages WHERE lease_token = @token AND seq IN (SELECT value FROM json_each(@seqs))", "@token", "@seqs");
        _abandon = Prepare(connection,
            "UPDATE messages SET visible_at = @at, last_error = @error, lease_token = NULL WHERE seq = @seq AND lease_token = @token",
            "@at", "@error", "@seq", "@token");
        _copyToDeadLetters = Prepare(connection, """
            INSERT INTO dead_letters (message_id, source, reason, received_at, dead_lettered_at, body, waba_id, field, delivery_count)
            SELECT message_id, @source, @reason, received_at, @now, CAST(body AS BLOB), waba_id, field, coalesce(@count, delivery_count)
            FROM messages WHERE seq = @seq AND (@token IS NULL OR lease_token = @token)
            """, "@source", "@reason", "@now", "@seq", "@token", "@count");
        _deleteLeased = Prepare(connection,
            "DELETE FROM messages WHERE seq = @seq AND (@token IS NULL OR lease_token = @token)", "@seq", "@token");
        _deleteDeadLetter = Prepare(connection, "DELETE FROM dead_letters WHERE id = @id", "@id");
        _all = [_insertDeadLetter, _lease, _delete, _abandon, _copyToDeadLetters, _deleteLeased, _deleteDeadLetter];
    }

    public void Use(SqliteTransaction transaction)
    {
        foreach (var command in _all)
        {
            command.Transaction = transaction;
        }
    }

    public void InsertMessage(ChangeMessage change, DateTimeOffset now) =>
        _insertMessage
            .Bind(1, change.EventId)
            .Bind(2, change.WabaId)
            .Bind(3, change.Field)
            .Bind(4, change.EntryTime)
            .Bind(5, change.ReceivedAt.ToUnixTimeMilliseconds())
            .Bind(6, change.Change)
            .Bind(7, now.ToUnixTimeMilliseconds())
            .Bind(8, change.TraceParent)
            .Execute();

    public void InsertDeadLetter(DeadLetter d) =>
        Run(_insertDeadLetter, d.MessageId, d.Source.ToString(), d.Reason, d.ReceivedAt.ToUnixTimeMilliseconds(),
            d.DeadLetteredAt.ToUnixTimeMilliseconds(), d.Body, d.WabaId, d.Field, d.DeliveryCount);

    /// <summary>Leases up to <paramref name="limit"/> visible messages, oldest first, with their delivery counts after this delivery.</summary>
    public IReadOnlyList<Candidate> Lease(DateTimeOffset now, int limit, string token, DateTimeOffset until)
    {
        _lease.Parameters[0].Value = until.ToUnixTimeMilliseconds();
        _lease.Parameters[1].Value = token;
        _lease.Parameters[2].Value = now.ToUnixTimeMilliseconds();
        _lease.Parameters[3].Value = limit;
        var candidates = new List<Candidate>();
        using (var reader = _lease.ExecuteReader())
        {
            while (reader.Read())
            {
                var message = new ChangeMessage(
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetInt64(4),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                    reader.GetString(6),
                    reader.IsDBNull(9) ? null : reader.GetString(9));
                candidates.Add(new Candidate(reader.GetInt64(0), reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetString(8), message));
            }
        }

        // RETURNING gives no order; the worker sees the oldest first.
        candidates.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return candidates;
    }

    /// <summary>Deletes the given messages, if they are still held under <paramref name="token"/>, in one statement.</summary>
    public void Delete(IEnumerable<long> sequences, string token)
    {
        var list = new StringBuilder("[");
        foreach (var sequence in sequences)
        {
            list.Append(list.Length > 1 ? "," : string.Empty).Append(sequence.ToString(CultureInfo.InvariantCulture));
        }

        Run(_delete, token, list.Append(']').ToString());
    }

    public void Abandon(long sequence, string token, string error, DateTimeOffset visibleAt) =>
        Run(_abandon, visibleAt.ToUnixTimeMilliseconds(), error, sequence, token);

    public void MoveToDeadLetters(long sequence, string? token, DeadLetterSource source, string reason, DateTimeOffset now, int? deliveryCount = null)
    {
        Run(_copyToDeadLetters, source.ToString(), reason, now.ToUnixTimeMilliseconds(), sequence, token, deliveryCount);
        Run(_deleteLeased, sequence, token);
    }

    /// <summary>Deletes one dead letter; true when there was one.</summary>
    public bool DeleteDeadLetter(long id)
    {
        _deleteDeadLetter.Parameters[0].Value = id;
        return _deleteDeadLetter.ExecuteNonQuery() == 1;
    }

    public void Dispose()
    {
        _insertMessage.Dispose();
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
