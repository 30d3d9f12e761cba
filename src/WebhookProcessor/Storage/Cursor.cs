using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace WebhookProcessor.Storage;

/// <summary>Opaque keyset cursors: base64url of the sort key of the last item returned.</summary>
public static class Cursor
{
    public static string EncodeSequence(long sequence) => Encode(sequence.ToString(CultureInfo.InvariantCulture));

    public static long DecodeSequence(string cursor) =>
        long.TryParse(Decode(cursor), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException("The cursor is not one this service issued.");

    public static string EncodeTimeAndSequence(long unixMilliseconds, long sequence) =>
        Encode(string.Create(CultureInfo.InvariantCulture, $"{unixMilliseconds}:{sequence}"));

    public static (long UnixMilliseconds, long Sequence) DecodeTimeAndSequence(string cursor)
    {
        var parts = Decode(cursor).Split(':');
        if (parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var time)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            return (time, sequence);
        }

        throw new FormatException("The cursor is not one this service issued.");
    }

    /// <summary>A cursor after a text key (such as an owner id).</summary>
    public static string EncodeKey(string key) => Encode("k:" + key);

    public static string DecodeKey(string cursor)
    {
        var text = Decode(cursor);
        return text.StartsWith("k:", StringComparison.Ordinal) ? text[2..] : throw new FormatException("The cursor is not one this service issued.");
    }

    private static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    private static string Decode(string cursor)
    {
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException ex)
        {
            throw new FormatException("The cursor is not one this service issued.", ex);
        }
    }
}
