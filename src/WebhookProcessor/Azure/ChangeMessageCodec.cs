using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Azure;

/// <summary>
/// The one format of a queued change on Service Bus: the body of a message holding one
/// <see cref="ChangeMessage"/>, written by the intake and read by the <c>ProcessTemplateEvent</c>
/// function. A UTF-8 JSON object (content type <c>application/json</c>):
/// <code>
/// {
///   "v": 1,                                   // written for the record; readers ignore it (optional)
///   "eventId": "3f2a…",                       // the history key: a change with a known id is a duplicate
///   "wabaId": "109876543210987",              // entry[].id of the webhook
///   "field": "message_template_status_update",// changes[].field
///   "entryTime": 1751247548,                  // entry[].time, Unix seconds, or null
///   "receivedAt": "2025-06-30T01:39:09.123+00:00",
///   "change": "{\"field\":\"message_template_status_update\",\"value\":{…}}"
/// }
/// </code>
/// <c>change</c> is the webhook's <c>changes[]</c> element as a string, so its bytes reach the worker
/// unchanged. For messages written by hand (a replay), the reader also takes <c>change</c> as a JSON
/// object (kept as written), <c>entryTime</c> as a string of digits, and <c>messageId</c> in place of
/// <c>eventId</c> (the name an earlier reader used). Unknown members are ignored.
/// </summary>
public static class ChangeMessageCodec
{
    public const string ContentType = "application/json";

    private const int Version = 1;

    // The body is read by a JSON parser, never shown in HTML: non-ASCII stays UTF-8 and the message small.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonDocumentOptions ReaderOptions = new() { MaxDepth = 8 };

    public static string Encode(ChangeMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(message.Change.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", Version);
            writer.WriteString("eventId", message.EventId);
            writer.WriteString("wabaId", message.WabaId);
            writer.WriteString("field", message.Field);
            if (message.EntryTime is { } entryTime)
            {
                writer.WriteNumber("entryTime", entryTime);
            }
            else
            {
                writer.WriteNull("entryTime");
            }

            writer.WriteString("receivedAt", message.ReceivedAt);
            writer.WriteString("change", message.Change);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Reads a body written by <see cref="Encode"/> or by hand (see the type's summary). Unknown members
    /// are ignored (newer writers may add some). The body may also arrive as a JSON string holding that object, which is how the Functions
    /// host hands a Service Bus message to a custom handler.
    /// </summary>
    /// <exception cref="FormatException">The body is not a change message; retrying will not help.</exception>
    public static ChangeMessage Decode(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            using var document = JsonDocument.Parse(body, ReaderOptions);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.String)
            {
                return Decode(root.GetString()!);
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"A change message is a JSON object; this body is a JSON {root.ValueKind}.");
            }

            return new ChangeMessage(
                root.TryGetProperty("eventId", out _) || !root.TryGetProperty("messageId", out _) ? RequiredString(root, "eventId") : RequiredString(root, "messageId"),
                RequiredString(root, "wabaId"),
                RequiredString(root, "field"),
                EntryTime(root),
                ReceivedAt(root),
                Change(root));
        }
        catch (JsonException ex)
        {
            throw new FormatException($"A change message body is not valid JSON: {ex.Message}", ex);
        }
    }

    private static string RequiredString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new FormatException($"A change message needs \"{name}\" as a non-empty string.");

    private static long? EntryTime(JsonElement root)
    {
        if (!root.TryGetProperty("entryTime", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds))
        {
            return seconds;
        }

        return value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out seconds)
            ? seconds
            : throw new FormatException("A change message's \"entryTime\" must be Unix seconds or null.");
    }

    private static string Change(JsonElement root) =>
        root.TryGetProperty("change", out var value) && value.ValueKind == JsonValueKind.Object
            ? value.GetRawText()
            : RequiredString(root, "change");

    private static DateTimeOffset ReceivedAt(JsonElement root) =>
        root.TryGetProperty("receivedAt", out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var at)
            ? at
            : throw new FormatException("A change message needs \"receivedAt\" as an ISO 8601 date and time.");
}
