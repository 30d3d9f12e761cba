using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace WebhookProcessor.AzureRest.Tables;

/// <summary>
/// Entities to and from the Table service's JSON. Types JSON cannot carry unambiguously get an
/// <c>@odata.type</c> annotation: Int64 travels as a string so no value ever passes through a double.
/// </summary>
internal static class TableEntityJson
{
    private const string DateFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static byte[] Serialize(TableEntity entity)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, entity);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, TableEntity entity)
    {
        writer.WriteStartObject();
        writer.WriteString("PartitionKey", entity.PartitionKey);
        writer.WriteString("RowKey", entity.RowKey);
        foreach (var (name, value) in entity)
        {
            switch (value)
            {
                case string s:
                    writer.WriteString(name, s);
                    break;
                case int i:
                    writer.WriteNumber(name, i);
                    break;
                case long l:
                    Annotate(writer, name, "Edm.Int64");
                    writer.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                    break;
                case double d:
                    // Whole doubles would read back as Int32 without the annotation; NaN and infinities are strings.
                    Annotate(writer, name, "Edm.Double");
                    if (double.IsFinite(d))
                    {
                        writer.WriteNumber(name, d);
                    }
                    else
                    {
                        writer.WriteString(name, double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                    }

                    break;
                case bool b:
                    writer.WriteBoolean(name, b);
                    break;
                case DateTimeOffset t:
                    Annotate(writer, name, "Edm.DateTime");
                    writer.WriteString(name, t.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture));
                    break;
                case byte[] bytes:
                    Annotate(writer, name, "Edm.Binary");
                    writer.WriteBase64String(name, bytes);
                    break;
                case Guid g:
                    Annotate(writer, name, "Edm.Guid");
                    writer.WriteString(name, g.ToString("D"));
                    break;
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads one entity of a minimal- or full-metadata payload.</summary>
    public static TableEntity Read(JsonElement json, string? etag = null)
    {
        var entity = new TableEntity(
            json.TryGetProperty("PartitionKey", out var pk) ? pk.GetString() ?? "" : "",
            json.TryGetProperty("RowKey", out var rk) ? rk.GetString() ?? "" : "");
        entity.ETag = etag ?? (json.TryGetProperty("odata.etag", out var tag) ? tag.GetString() : null);
        foreach (var property in json.EnumerateObject())
        {
            var name = property.Name;
            if (name is "PartitionKey" or "RowKey" || name.StartsWith("odata.", StringComparison.Ordinal) || name.Contains('@', StringComparison.Ordinal))
            {
                continue;
            }

            var type = json.TryGetProperty(name + "@odata.type", out var annotation) ? annotation.GetString() : null;
            if (name == "Timestamp")
            {
                entity.Timestamp = ParseDate(property.Value.GetString()!);
                continue;
            }

            entity.SetRead(name, ReadValue(property.Value, type));
        }

        return entity;
    }

    private static object ReadValue(JsonElement value, string? type) => type switch
    {
        "Edm.Int64" => long.Parse(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        "Edm.Int32" => value.GetInt32(),
        "Edm.Double" => value.ValueKind == JsonValueKind.String
            ? double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
            : value.GetDouble(),
        "Edm.DateTime" => ParseDate(value.GetString()!),
        "Edm.Binary" => value.GetBytesFromBase64(),
        "Edm.Guid" => Guid.Parse(value.GetString()!),
        "Edm.Boolean" => value.GetBoolean(),
        "Edm.String" => value.GetString()!,
        _ => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetInt32(out var i) => i,
            JsonValueKind.Number when value.TryGetInt64(out var l) => l,
            JsonValueKind.Number => value.GetDouble(),
            _ => value.GetRawText(),
        },
    };

    private static DateTimeOffset ParseDate(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static void Annotate(Utf8JsonWriter writer, string name, string type) => writer.WriteString(name + "@odata.type", type);
}
