using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;

namespace WebhookProcessor.Notifications;

/// <summary>Maps owners and outbox items to and from SQLite rows.</summary>
internal static class NotificationRows
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string ChannelName(AlertChannel channel) => channel == AlertChannel.Email ? "email" : "teams";

    public static AlertChannel? ParseChannel(string? name) => name switch
    {
        "email" => AlertChannel.Email,
        "teams" => AlertChannel.Teams,
        _ => null,
    };

    /// <summary>A command for <see cref="NotificationSchema.Insert"/>, to run with <see cref="BindInsert"/> per alert.</summary>
    public static SqliteCommand CreateInsert(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = NotificationSchema.Insert;
        foreach (var name in new[] { "@id", "@event", "@kind", "@waba", "@template", "@channel", "@recipient", "@owner", "@ownerName", "@language", "@facts", "@status", "@now", "@next" })
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    /// <param name="factsJson">The facts already serialized, when several alerts share them (one event, many recipients).</param>
    public static void BindInsert(SqliteCommand command, PlannedAlert alert, DateTimeOffset now, string? factsJson = null)
    {
        var p = command.Parameters;
        p["@id"].Value = alert.NotificationId;
        p["@event"].Value = alert.Facts.EventId;
        p["@kind"].Value = alert.Facts.Kind;
        p["@waba"].Value = alert.Facts.WabaId;
        p["@template"].Value = (object?)alert.Facts.TemplateId ?? DBNull.Value;
        p["@channel"].Value = alert.Channel is { } channel ? ChannelName(channel) : DBNull.Value;
        p["@recipient"].Value = (object?)alert.Recipient ?? DBNull.Value;
        p["@owner"].Value = (object?)alert.OwnerId ?? DBNull.Value;
        p["@ownerName"].Value = (object?)alert.OwnerName ?? DBNull.Value;
        p["@language"].Value = alert.Language;
        p["@facts"].Value = factsJson ?? SerializeFacts(alert.Facts);
        p["@status"].Value = alert.Channel is null ? NotificationStatus.Unrouted : NotificationStatus.Pending;
        p["@now"].Value = now.ToUnixTimeMilliseconds();
        p["@next"].Value = alert.Channel is null ? DBNull.Value : now.ToUnixTimeMilliseconds();
    }

    public static string SerializeFacts(AlertFacts facts) => JsonSerializer.Serialize(facts, Json);

    /// <summary>Reads the columns of <see cref="NotificationSchema.Columns"/>, in that order.</summary>
    public static Notification Read(SqliteDataReader r) => new()
    {
        Sequence = r.GetInt64(0),
        Id = r.GetString(1),
        Channel = ParseChannel(r.IsDBNull(2) ? null : r.GetString(2)),
        Recipient = r.IsDBNull(3) ? null : r.GetString(3),
        OwnerId = r.IsDBNull(4) ? null : r.GetString(4),
        OwnerName = r.IsDBNull(5) ? null : r.GetString(5),
        Language = r.GetString(6),
        Facts = JsonSerializer.Deserialize<AlertFacts>(r.GetString(7), Json)!,
        Status = r.GetString(8),
        Attempts = r.GetInt32(9),
        LastError = r.IsDBNull(10) ? null : r.GetString(10),
        CreatedAt = Time(r.GetInt64(11)),
        NextAttemptAt = r.IsDBNull(12) ? null : Time(r.GetInt64(12)),
        SentAt = r.IsDBNull(13) ? null : Time(r.GetInt64(13)),
    };

    public static string SerializeOwner(Owner owner) => JsonSerializer.Serialize(owner, Json);

    public static Owner DeserializeOwner(string document) => JsonSerializer.Deserialize<Owner>(document, Json)!;

    /// <summary>All owners, through whichever connection (and transaction) the caller is using.</summary>
    public static List<Owner> LoadOwners(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT document FROM owners ORDER BY owner_id";
        using var reader = command.ExecuteReader();
        var owners = new List<Owner>();
        while (reader.Read())
        {
            owners.Add(DeserializeOwner(reader.GetString(0)));
        }

        return owners;
    }

    private static DateTimeOffset Time(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);
}
