using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace WebhookProcessor.Webhooks;

/// <summary>
/// A canonical rendering of a JSON value: object keys sorted ordinally, no whitespace, strings
/// decoded and re-encoded one fixed way, numbers kept as their original text (never via a double,
/// so 64-bit template ids survive). Two deliveries of the same change render identically even when
/// key order, spacing or string escaping differ.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static void Write(JsonElement element, IBufferWriter<byte> output)
    {
        // One writer per thread, re-pointed at each output: it is needed for every change received.
        var writer = t_writer ??= new Utf8JsonWriter(output, WriterOptions);
        writer.Reset(output);
        try
        {
            WriteValue(writer, element);
            writer.Flush();
        }
        finally
        {
            writer.Reset(Stream.Null);
        }
    }

    public static string ToString(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(element, buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(writer, element);
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            case JsonValueKind.Number:
                writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                break;
            case JsonValueKind.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonValueKind.False:
                writer.WriteBooleanValue(false);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    private static void WriteObject(Utf8JsonWriter writer, JsonElement element)
    {
        var properties = ArrayPool<(string Name, int Order, JsonElement Value)>.Shared.Rent(16);
        var count = 0;
        try
        {
            foreach (var property in element.EnumerateObject())
            {
                if (count == properties.Length)
                {
                    var larger = ArrayPool<(string, int, JsonElement)>.Shared.Rent(count * 2);
                    properties.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<(string, int, JsonElement)>.Shared.Return(properties, clearArray: true);
                    properties = larger;
                }

                properties[count] = (property.Name, count, property.Value);
                count++;
            }

            // Ordinal by name; the received position breaks ties so repeated keys keep their order.
            properties.AsSpan(0, count).Sort(static (a, b) =>
            {
                var byName = string.CompareOrdinal(a.Name, b.Name);
                return byName != 0 ? byName : a.Order.CompareTo(b.Order);
            });

            writer.WriteStartObject();
            for (var i = 0; i < count; i++)
            {
                writer.WritePropertyName(properties[i].Name);
                WriteValue(writer, properties[i].Value);
            }

            writer.WriteEndObject();
        }
        finally
        {
            ArrayPool<(string, int, JsonElement)>.Shared.Return(properties, clearArray: true);
        }
    }
}
