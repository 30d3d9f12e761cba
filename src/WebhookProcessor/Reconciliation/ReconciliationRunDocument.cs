using System.Text;
using System.Text.Json;

namespace WebhookProcessor.Reconciliation;

/// <summary>
/// A run as both stores keep it: one JSON document, statuses by their API names and times in Unix
/// milliseconds (as everywhere else in the stored schema). Written by hand rather than by the serializer's
/// conventions so that the stored shape cannot change when a record gains a member or an enum a value.
/// </summary>
internal static class ReconciliationRunDocument
{
    public static string Serialize(ReconciliationRun run)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", run.Id);
            json.WriteString("status", run.Status.ToApiName());
            json.WriteString("trigger", run.Trigger);
            json.WriteNumber("startedAt", run.StartedAt.ToUnixTimeMilliseconds());
            WriteTime(json, "endedAt", run.EndedAt);
            json.WriteStartArray("accounts");
            foreach (var a in run.Accounts)
            {
                json.WriteStartObject();
                json.WriteString("wabaId", a.WabaId);
                json.WriteString("status", a.Status.ToApiName());
                WriteTime(json, "startedAt", a.StartedAt);
                WriteTime(json, "endedAt", a.EndedAt);
                json.WriteNumber("templatesSeen", a.TemplatesSeen);
                json.WriteNumber("added", a.Added);
                json.WriteNumber("changed", a.Changed);
                json.WriteNumber("pendingChangesFound", a.PendingChangesFound);
                json.WriteNumber("deleted", a.Deleted);
                json.WriteNumber("overduePendingChanges", a.OverduePendingChanges);
                json.WriteNumber("graphCalls", a.GraphCalls);
                json.WriteBoolean("bootstrap", a.Bootstrap);
                if (a.Error is not null)
                {
                    json.WriteString("error", a.Error);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <exception cref="InvalidDataException">The document is not one <see cref="Serialize"/> wrote.</exception>
    public static ReconciliationRun Deserialize(string document)
    {
        try
        {
            using var parsed = JsonDocument.Parse(document);
            var root = parsed.RootElement;
            var accounts = new List<AccountReconciliation>();
            foreach (var a in root.GetProperty("accounts").EnumerateArray())
            {
                accounts.Add(new AccountReconciliation(
                    a.GetProperty("wabaId").GetString()!,
                    ReconciliationNames.AccountStatusFromStored(a.GetProperty("status").GetString()),
                    ReadTime(a, "startedAt"),
                    ReadTime(a, "endedAt"),
                    a.GetProperty("templatesSeen").GetInt32(),
                    a.GetProperty("added").GetInt32(),
                    a.GetProperty("changed").GetInt32(),
                    a.GetProperty("pendingChangesFound").GetInt32(),
                    a.GetProperty("deleted").GetInt32(),
                    a.GetProperty("overduePendingChanges").GetInt32(),
                    a.GetProperty("graphCalls").GetInt32(),
                    a.GetProperty("bootstrap").GetBoolean(),
                    a.TryGetProperty("error", out var error) ? error.GetString() : null));
            }

            return new ReconciliationRun(
                root.GetProperty("id").GetString()!,
                ReconciliationNames.RunStatusFromStored(root.GetProperty("status").GetString()),
                root.GetProperty("trigger").GetString()!,
                DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("startedAt").GetInt64()),
                ReadTime(root, "endedAt"),
                accounts);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException("A stored reconciliation run is not in the shape this version writes.", ex);
        }
    }

    /// <summary>The stores keep times to the millisecond; what they are given is cut to that, so both read back the same.</summary>
    public static DateTimeOffset Millis(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            json.WriteNumber(name, value.ToUnixTimeMilliseconds());
        }
    }

    private static DateTimeOffset? ReadTime(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? DateTimeOffset.FromUnixTimeMilliseconds(value.GetInt64())
            : null;
}
