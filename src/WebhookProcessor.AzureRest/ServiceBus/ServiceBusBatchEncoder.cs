using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace WebhookProcessor.AzureRest.ServiceBus;

/// <summary>
/// The REST batch format: a JSON array of <c>{"Body": "…", "BrokerProperties": {…}, "UserProperties": {…}}</c>
/// sent with <c>Content-Type: application/vnd.microsoft.servicebus.json</c>; and the split of many
/// messages into batches that each fit one request.
/// </summary>
internal static class ServiceBusBatchEncoder
{
    public const string BatchContentType = "application/vnd.microsoft.servicebus.json";

    // Non-ASCII text stays UTF-8 instead of six-byte \uXXXX escapes: the body goes to a JSON parser, not into HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One message's entry in the batch array, UTF-8. Its length is the message's size for every limit.</summary>
    public static byte[] EncodeEntry(ServiceBusMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(message.Body.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("Body", message.Body);
            writer.WritePropertyName("BrokerProperties");
            WriteBrokerProperties(writer, message, includeContentType: true);
            writer.WriteStartObject("UserProperties");
            foreach (var (name, value) in message.ApplicationProperties)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The <c>BrokerProperties</c> header of a single send (the content type travels as <c>Content-Type</c> there).</summary>
    public static string BrokerPropertiesHeader(ServiceBusMessage message)
    {
        // The default encoder escapes non-ASCII, which keeps the header value ASCII.
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteBrokerProperties(writer, message, includeContentType: false);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The request body for entries already encoded by <see cref="EncodeEntry"/>.</summary>
    public static byte[] Join(IReadOnlyList<byte[]> entries)
    {
        var body = new byte[BatchSize(entries.Sum(e => e.Length), entries.Count)];
        body[0] = (byte)'[';
        var position = 1;
        for (var i = 0; i < entries.Count; i++)
        {
            if (i > 0)
            {
                body[position++] = (byte)',';
            }

            entries[i].CopyTo(body, position);
            position += entries[i].Length;
        }

        body[position] = (byte)']';
        return body;
    }

    /// <summary>
    /// Splits <paramref name="messages"/>, in order, into batches of at most <paramref name="maxCount"/>
    /// messages whose joined body is at most <paramref name="maxBytes"/> bytes.
    /// </summary>
    /// <exception cref="ServiceBusMessageTooLargeException">One message alone is over the limit; nothing is returned.</exception>
    public static IReadOnlyList<IReadOnlyList<EncodedMessage>> Split(IEnumerable<ServiceBusMessage> messages, int maxBytes, int maxCount)
    {
        var batches = new List<IReadOnlyList<EncodedMessage>>();
        var current = new List<EncodedMessage>();
        var currentBytes = 0;
        foreach (var message in messages)
        {
            var entry = EncodeEntry(message);
            if (BatchSize(entry.Length, 1) > maxBytes)
            {
                throw new ServiceBusMessageTooLargeException(message.MessageId, entry.Length, maxBytes);
            }

            if (current.Count > 0 && (current.Count == maxCount || BatchSize(currentBytes + entry.Length, current.Count + 1) > maxBytes))
            {
                batches.Add(current);
                current = [];
                currentBytes = 0;
            }

            current.Add(new EncodedMessage(message, entry));
            currentBytes += entry.Length;
        }

        if (current.Count > 0)
        {
            batches.Add(current);
        }

        return batches;
    }

    /// <summary>Brackets plus a comma between entries.</summary>
    public static int BatchSize(int entryBytes, int count) => entryBytes + 2 + Math.Max(0, count - 1);

    private static void WriteBrokerProperties(Utf8JsonWriter writer, ServiceBusMessage message, bool includeContentType)
    {
        writer.WriteStartObject();
        writer.WriteString("MessageId", message.MessageId);
        WriteIfSet(writer, "SessionId", message.SessionId);
        WriteIfSet(writer, "CorrelationId", message.CorrelationId);
        WriteIfSet(writer, "Label", message.Subject);
        if (includeContentType)
        {
            // Not in the documented settable list; the broker ignores keys it does not know.
            WriteIfSet(writer, "ContentType", message.ContentType);
        }

        if (message.TimeToLive is { } ttl)
        {
            writer.WriteNumber("TimeToLive", ttl.TotalSeconds);
        }

        writer.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
