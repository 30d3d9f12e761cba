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
        TraceParent = r.IsDBNull(14) ? null : r.GetString(14),
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
