using System.Globalization;
using System.Text;
using System.Text.Json;

namespace WebhookProcessor.Functions;

/// <summary>
/// The body the Functions host posts for a non-HTTP trigger: <c>{"Data": {binding: value}, "Metadata": {key: value}}</c>.
/// The host JSON-encodes plain values once more before putting them in that JSON, so a string may
/// arrive as a JSON string whose text is itself a JSON string literal; the documentation shows them
/// encoded once. Every reader here accepts both, and objects, and base64 for binary bindings.
/// </summary>
public sealed class InvocationPayload
{
    private readonly JsonElement _data;
    private readonly JsonElement _metadata;

    private InvocationPayload(JsonElement data, JsonElement metadata)
    {
        _data = data;
        _metadata = metadata;
    }

    /// <summary>Reads the envelope; null when the body is not a JSON object with a <c>Data</c> object.</summary>
    public static async Task<InvocationPayload?> ReadAsync(HttpRequest request, CancellationToken cancellationToken = default)
    {
        try
        {
            var root = (await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken)).RootElement;
            return Parse(root);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static InvocationPayload? Parse(string json) => TryParse(json) is { } root ? Parse(root) : null;

    /// <summary>Reads the envelope from its UTF-8 bytes; null when it is not one (see <see cref="ReadAsync"/>).</summary>
    public static InvocationPayload? Parse(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            return Parse(JsonDocument.Parse(utf8).RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static InvocationPayload? Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || Property(root, "Data") is not { ValueKind: JsonValueKind.Object } data)
        {
            return null;
        }

        var metadata = Property(root, "Metadata") is { ValueKind: JsonValueKind.Object } m ? m : default;
        return new InvocationPayload(data, metadata);
    }

    /// <summary>
    /// The text of a data binding (a queue message body): an object's JSON, or a string unwrapped from
    /// as many JSON string encodings and at most one base64 layer as it carries. Null when absent.
    /// </summary>
    public string? DataText(string binding) => Property(_data, binding) is { } value ? Text(value) : null;

    /// <summary>A metadata value as text (<c>"\"abc\""</c>, <c>"abc"</c> and <c>"4"</c>/<c>4</c> all work); null when absent.</summary>
    public string? MetadataText(string key) => Property(_metadata, key) is { } value ? Scalar(value) : null;

    public int? MetadataInt(string key) =>
        int.TryParse(MetadataText(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;

    /// <summary>
    /// A metadata time. The host writes <c>DateTime</c> values without an offset (and to the second);
    /// the <c>…Utc</c> keys are UTC, so a time without an offset is taken as UTC.
    /// </summary>
    public DateTimeOffset? MetadataTime(string key) =>
        DateTimeOffset.TryParse(MetadataText(key), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    /// <summary>An object-valued metadata entry (<c>UserProperties</c>), whether sent as an object or as its JSON in a string.</summary>
    public IReadOnlyDictionary<string, string?> MetadataObject(string key)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (Property(_metadata, key) is not { } value)
        {
            return result;
        }

        if (value.ValueKind == JsonValueKind.String && TryParse(Unwrap(value.GetString()!)) is { ValueKind: JsonValueKind.Object } parsed)
        {
            value = parsed;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                result[property.Name] = Scalar(property.Value);
            }
        }

        return result;
    }

    private static string Text(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return value.GetRawText();
        }

        var text = Unwrap(value.GetString()!);
        var start = text.TrimStart();
        if (start.Length > 0 && start[0] is not ('{' or '[') && TryBase64(text) is { } decoded)
        {
            text = Unwrap(decoded);
        }

        return text;
    }

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Unwrap(value.GetString()!),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };

    /// <summary>Removes JSON string encodings: <c>"\"x\""</c> becomes <c>x</c>. Anything else is returned as it is.</summary>
    private static string Unwrap(string text)
    {
        // Three layers at most: once by the host, perhaps once by the sender; more means something else.
        for (var i = 0; i < 3; i++)
        {
            var trimmed = text.Trim();
            if (trimmed.Length < 2 || trimmed[0] != '"' || TryParse(trimmed) is not { ValueKind: JsonValueKind.String } inner)
            {
                break;
            }

            text = inner.GetString()!;
        }

        return text;
    }

    private static string? TryBase64(string text)
    {
        var buffer = new byte[text.Length];
        if (!Convert.TryFromBase64String(text.Trim(), buffer, out var written) || written == 0)
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static JsonElement? TryParse(string text)
    {
        try
        {
            return JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The host's keys are PascalCase, but binding names come from function.json as written; match either way.</summary>
    private static JsonElement? Property(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in parent.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }
}
