using System.Globalization;
using System.Text.Json;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Functions;

/// <summary>
/// Reads a change message written as JSON: <c>messageId</c>, <c>wabaId</c>, <c>field</c>,
/// <c>entryTime</c> (Unix seconds or null), <c>receivedAt</c> (ISO 8601) and <c>change</c> (the raw
/// change JSON, as a string; an object is accepted too and kept as written).
/// </summary>
public sealed class JsonChangeMessageDecoder : IChangeMessageDecoder
{
    public ChangeMessage Decode(string text)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"A change message is a JSON object, not {root.ValueKind}.");
        }

        var change = Required(root, "change");
        return new ChangeMessage(
            EventId: RequiredString(root, "messageId"),
            WabaId: RequiredString(root, "wabaId"),
            Field: RequiredString(root, "field"),
            EntryTime: root.TryGetProperty("entryTime", out var entry) && entry.ValueKind != JsonValueKind.Null
                ? entry.ValueKind == JsonValueKind.Number ? entry.GetInt64() : long.Parse(entry.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture)
                : null,
            ReceivedAt: DateTimeOffset.Parse(RequiredString(root, "receivedAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            Change: change.ValueKind switch
            {
                JsonValueKind.String => change.GetString()!,
                JsonValueKind.Object => change.GetRawText(),
                _ => throw new FormatException($"change must be the change's JSON as a string, not {change.ValueKind}."),
            });
    }

    private static JsonElement Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new FormatException($"The change message has no {name}.");

    private static string RequiredString(JsonElement root, string name)
    {
        var value = Required(root, name);
        return value.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(value.GetString())
            ? value.GetString()!
            : throw new FormatException($"{name} must be a non-empty string.");
    }
}
