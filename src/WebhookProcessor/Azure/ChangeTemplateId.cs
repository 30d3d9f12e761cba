using System.Text;
using System.Text.Json;

namespace WebhookProcessor.Azure;

/// <summary>
/// Reads <c>value.message_template_id</c> from a raw change with a forward-only reader: no document is
/// built and the scan stops at the id, so labelling a message costs little at intake. The change was
/// already parsed once at intake; anything unexpected here only means "no label", never a failure.
/// </summary>
internal static class ChangeTemplateId
{
    /// <summary>The id as text (Meta sends a number; a string is taken as it is), or null when absent or unreadable.</summary>
    public static string? Read(string change)
    {
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(change), new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isValue = reader.ValueTextEquals("value"u8);
                reader.Read();
                if (isValue && reader.TokenType == JsonTokenType.StartObject)
                {
                    return FindInValue(ref reader);
                }

                reader.Skip();
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? FindInValue(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("message_template_id"u8);
            reader.Read();
            if (isId)
            {
                return reader.TokenType switch
                {
                    JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                    JsonTokenType.String when reader.GetString() is { Length: > 0 and <= 64 } text => text,
                    _ => null,
                };
            }

            reader.Skip();
        }

        return null;
    }
}
