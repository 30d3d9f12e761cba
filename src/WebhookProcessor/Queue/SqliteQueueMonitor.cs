using System.Globalization;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Queue;

/// <summary>
/// The ops view of the SQLite queue: statistics and the dead-letter store, read on reader connections
/// so ops never waits behind (or delays) the group-commit writer. Dead letters are written by the
/// queue's writer (<see cref="SqliteEventQueue"/>); this class reads them, and removes one through
/// that writer (<paramref name="remove"/>) so the file keeps a single writer.
/// </summary>
public sealed class SqliteQueueMonitor(SqliteDatabase database, Func<long, Task<bool>>? remove = null) : IQueueMonitor
{
    public async Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM messages), (SELECT min(enqueued_at) FROM messages), (SELECT count(*) FROM dead_letters)";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new QueueStats(
            reader.GetInt64(0),
            reader.IsDBNull(1) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
            reader.GetInt64(2));
    }

    public async Task<Page<DeadLetterSummary>> ListDeadLettersAsync(int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // length() of a BLOB reads the size from the record header: the body itself is never loaded.
        command.CommandText = """
            SELECT id, message_id, source, reason, received_at, dead_lettered_at, waba_id, field, delivery_count, length(body)
            FROM dead_letters WHERE (@before IS NULL OR id < @before) ORDER BY id DESC LIMIT @limit
            """;
        command.Parameters.AddWithValue("@before", cursor is null ? DBNull.Value : Cursor.DecodeSequence(cursor));
        command.Parameters.AddWithValue("@limit", limit + 1);
        var items = new List<DeadLetterSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new DeadLetterSummary(
                reader.GetInt64(0).ToString(CultureInfo.InvariantCulture),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                Enum.Parse<DeadLetterSource>(reader.GetString(2)),
                reader.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetInt32(8),
                reader.GetInt64(9)));
        }

        return Page.FromOneExtra(items, limit, d => Cursor.EncodeSequence(long.Parse(d.Id, CultureInfo.InvariantCulture)));
    }

    /// <inheritdoc/>
    public async Task<bool> RemoveDeadLetterAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        if (remove is null)
        {
            throw new InvalidOperationException("This monitor was built without the queue's writer, so it cannot remove dead letters.");
        }

        return await remove(number);
    }

    public async Task<StoredDeadLetter?> GetDeadLetterAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, message_id, source, reason, received_at, dead_lettered_at, body, waba_id, field, delivery_count
            FROM dead_letters WHERE id = @id
            """;
        command.Parameters.AddWithValue("@id", number);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StoredDeadLetter(reader.GetInt64(0).ToString(CultureInfo.InvariantCulture), new DeadLetter(
            reader.IsDBNull(1) ? null : reader.GetString(1),
            Enum.Parse<DeadLetterSource>(reader.GetString(2)),
            reader.GetString(3),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
            (byte[])reader.GetValue(6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetString(8),
            reader.GetInt32(9)));
    }
}
