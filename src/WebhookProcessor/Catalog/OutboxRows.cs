using Microsoft.Data.Sqlite;

namespace WebhookProcessor.Catalog;

/// <summary>
/// Writes <see cref="OutboxItem"/>s as rows of the SQLite outbox. The table itself is the notification
/// store's (it creates it); this is only the insert, so the catalog's commit and the notification store's
/// own additions (digests) write rows the same way.
/// </summary>
public static class OutboxRows
{
    private const string Insert = """
        INSERT OR IGNORE INTO notifications
            (notification_id, event_id, kind, waba_id, template_id, channel, recipient, owner_id, owner_name, language, facts, status, created_at, next_attempt_at, updated_at, trace_parent)
        VALUES (@id, @event, @kind, @waba, @template, @channel, @recipient, @owner, @ownerName, @language, @facts, @status, @now, @next, @now, @trace)
        """;

    /// <summary>A command for the insert, to run with <see cref="Bind"/> per item.</summary>
    public static SqliteCommand CreateInsert(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = Insert;
        foreach (var name in new[] { "@id", "@event", "@kind", "@waba", "@template", "@channel", "@recipient", "@owner", "@ownerName", "@language", "@facts", "@status", "@now", "@next", "@trace" })
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    public static void Bind(SqliteCommand command, OutboxItem item, DateTimeOffset now)
    {
        var p = command.Parameters;
        p["@id"].Value = item.NotificationId;
        p["@event"].Value = item.EventId;
        p["@kind"].Value = item.Kind;
        p["@waba"].Value = item.WabaId;
        p["@template"].Value = (object?)item.TemplateId ?? DBNull.Value;
        p["@channel"].Value = (object?)item.Channel ?? DBNull.Value;
        p["@recipient"].Value = (object?)item.Recipient ?? DBNull.Value;
        p["@owner"].Value = (object?)item.OwnerId ?? DBNull.Value;
        p["@ownerName"].Value = (object?)item.OwnerName ?? DBNull.Value;
        p["@language"].Value = item.Language;
        p["@facts"].Value = item.FactsJson;
        p["@status"].Value = item.Status;
        p["@now"].Value = now.ToUnixTimeMilliseconds();
        p["@next"].Value = item.DueAtCommit ? now.ToUnixTimeMilliseconds() : DBNull.Value;
        p["@trace"].Value = (object?)item.TraceParent ?? DBNull.Value;
    }
}
