using System.Text;
using System.Text.Json;
using WebhookProcessor.Meta;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Webhooks;

/// <summary>
/// Splits a verified webhook body into one queue message per change. Anything that cannot be
/// understood becomes a dead letter with the reason, and never takes its siblings down with it:
/// a bad body is one dead letter, a bad entry or change is a dead letter beside the good ones.
/// </summary>
public static class EnvelopeReader
{
    public const string ExpectedObject = MetaValues.WhatsAppBusinessAccount;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = JsonLimits.MaxDepth };

    /// <summary>
    /// Throws <see cref="BodyTooDeepException"/> for valid JSON nested deeper than <see cref="JsonLimits.MaxDepth"/>:
    /// the caller refuses it, since a stored change that deep could never be processed.
    /// </summary>
    public static IngestBatch Read(ReadOnlyMemory<byte> body, DateTimeOffset receivedAt)
    {
        var changes = new List<ChangeMessage>();
        var deadLetters = new List<DeadLetter>();

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            if (IsTooDeepButValid(body.Span))
            {
                throw new BodyTooDeepException($"The body nests JSON more than {JsonLimits.MaxDepth} levels deep; at most {JsonLimits.MaxDepth} are accepted.", ex);
            }

            deadLetters.Add(BodyDeadLetter($"The body is not valid JSON: {ex.Message}", body, receivedAt));
            return new IngestBatch(changes, deadLetters);
        }

        using (document)
        {
            try
            {
                ReadRoot(document.RootElement, body, receivedAt, changes, deadLetters);
            }
            catch (InvalidOperationException ex)
            {
                // System.Text.Json refuses to decode a lone UTF-16 surrogate escape such as "\ud800".
                changes.Clear();
                deadLetters.Clear();
                deadLetters.Add(BodyDeadLetter($"The body holds text that cannot be decoded: {ex.Message}", body, receivedAt));
            }
        }

        return new IngestBatch(changes, deadLetters);
    }

    private static void ReadRoot(JsonElement root, ReadOnlyMemory<byte> body, DateTimeOffset receivedAt, List<ChangeMessage> changes, List<DeadLetter> deadLetters)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            deadLetters.Add(BodyDeadLetter($"The body is a JSON {Describe(root.ValueKind)}, not an object.", body, receivedAt));
            return;
        }

        if (!root.TryGetProperty(MetaKeys.Object, out var objectName) || objectName.ValueKind != JsonValueKind.String
            || objectName.GetString() != ExpectedObject)
        {
            var seen = root.TryGetProperty(MetaKeys.Object, out var o) ? o.GetRawText() : "absent";
            deadLetters.Add(BodyDeadLetter($"\"object\" is {seen}; expected \"{ExpectedObject}\".", body, receivedAt));
            return;
        }

        if (!root.TryGetProperty(MetaKeys.Entry, out var entries) || entries.ValueKind != JsonValueKind.Array
            || entries.GetArrayLength() == 0)
        {
            deadLetters.Add(BodyDeadLetter("\"entry\" is missing, not an array, or empty.", body, receivedAt));
            return;
        }

        var index = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            try
            {
                ReadEntry(entry, index, receivedAt, changes, deadLetters);
            }
            catch (InvalidOperationException ex)
            {
                deadLetters.Add(PartDeadLetter($"entry[{index}] holds text that cannot be decoded: {ex.Message}", entry, receivedAt));
            }

            index++;
        }
    }

    private static void ReadEntry(JsonElement entry, int index, DateTimeOffset receivedAt, List<ChangeMessage> changes, List<DeadLetter> deadLetters)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            deadLetters.Add(PartDeadLetter($"entry[{index}] is not an object.", entry, receivedAt));
            return;
        }

        var wabaId = ReadId(entry, MetaKeys.Id);
        if (wabaId is null)
        {
            deadLetters.Add(PartDeadLetter($"entry[{index}] has no usable \"id\" (the WhatsApp Business Account id).", entry, receivedAt));
            return;
        }

        long? time = null;
        if (entry.TryGetProperty(MetaKeys.Time, out var timeElement) && timeElement.ValueKind != JsonValueKind.Null)
        {
            if (timeElement.ValueKind == JsonValueKind.Number && timeElement.TryGetInt64(out var seconds))
            {
                time = seconds;
            }
            else
            {
                deadLetters.Add(PartDeadLetter($"entry[{index}].time is {timeElement.GetRawText()}, not Unix seconds.", entry, receivedAt, wabaId));
                return;
            }
        }

        if (!entry.TryGetProperty(MetaKeys.Changes, out var changeArray) || changeArray.ValueKind != JsonValueKind.Array)
        {
            deadLetters.Add(PartDeadLetter($"entry[{index}] has no \"changes\" array.", entry, receivedAt, wabaId));
            return;
        }

        var changeIndex = 0;
        foreach (var change in changeArray.EnumerateArray())
        {
            var where = $"entry[{index}].changes[{changeIndex++}]";
            try
            {
                ReadChange(change, where, wabaId, time, receivedAt, changes, deadLetters);
            }
            catch (InvalidOperationException ex)
            {
                deadLetters.Add(PartDeadLetter($"{where} holds text that cannot be decoded: {ex.Message}", change, receivedAt, wabaId));
            }
        }
    }

    private static void ReadChange(JsonElement change, string where, string wabaId, long? time, DateTimeOffset receivedAt, List<ChangeMessage> changes, List<DeadLetter> deadLetters)
    {
        if (change.ValueKind != JsonValueKind.Object)
        {
            deadLetters.Add(PartDeadLetter($"{where} is not an object.", change, receivedAt, wabaId));
            return;
        }

        if (!change.TryGetProperty(MetaKeys.Field, out var fieldElement) || fieldElement.ValueKind != JsonValueKind.String
            || string.IsNullOrEmpty(fieldElement.GetString()))
        {
            deadLetters.Add(PartDeadLetter($"{where} has no \"field\" string.", change, receivedAt, wabaId));
            return;
        }

        var field = fieldElement.GetString()!;
        if (!change.TryGetProperty(MetaKeys.Value, out var value))
        {
            deadLetters.Add(PartDeadLetter($"{where} ({field}) has no \"value\".", change, receivedAt, wabaId, field));
            return;
        }

        var eventId = EventIdentity.Compute(wabaId, field, time, value);
        changes.Add(new ChangeMessage(eventId, wabaId, field, time, receivedAt, change.GetRawText()));
    }

    /// <summary>
    /// Tells a body refused only for its depth from one that is not JSON at all, by reading it again
    /// without the limit. Runs only after the limited parse failed, so valid bodies are read once.
    /// </summary>
    private static bool IsTooDeepButValid(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = int.MaxValue });
        var deepest = 0;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    deepest = Math.Max(deepest, reader.CurrentDepth + 1);
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return deepest > JsonLimits.MaxDepth;
    }

    /// <summary>Reads an id that Meta sends as a string (WABA ids) or a number (template ids), without a double.</summary>
    internal static string? ReadId(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var element))
        {
            return null;
        }

        var text = element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    private static DeadLetter BodyDeadLetter(string reason, ReadOnlyMemory<byte> body, DateTimeOffset receivedAt) =>
        new(null, DeadLetterSource.Intake, reason, receivedAt, receivedAt, body.ToArray());

    private static DeadLetter PartDeadLetter(string reason, JsonElement part, DateTimeOffset receivedAt, string? wabaId = null, string? field = null) =>
        new(null, DeadLetterSource.Intake, reason, receivedAt, receivedAt, Encoding.UTF8.GetBytes(part.GetRawText()), wabaId, field);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
