using System.Globalization;
using System.Text;

namespace WebhookProcessor.Azure;

/// <summary>
/// Makes any string usable as a PartitionKey or RowKey, reversibly. Table Storage forbids <c>/ \ # ?</c>
/// and the control characters U+0000–U+001F and U+007F–U+009F in keys; each of those, and the escape
/// character <c>~</c> itself, becomes <c>~</c> and two hex digits. Other text is unchanged, so ordinary
/// keys stay readable and keep their sort order.
/// </summary>
internal static class TableKey
{
    private const char EscapeChar = '~';

    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.AsSpan().ContainsAny(NeedsEscape))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (NeedsEscape.Contains(c))
            {
                builder.Append(EscapeChar).Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <exception cref="FormatException">The value was not produced by <see cref="Escape"/>.</exception>
    public static string Unescape(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Contains(EscapeChar, StringComparison.Ordinal))
        {
            return key;
        }

        var builder = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] != EscapeChar)
            {
                builder.Append(key[i]);
                continue;
            }

            if (i + 2 >= key.Length || !int.TryParse(key.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                throw new FormatException("The key has a '~' that is not followed by two hex digits; it was not escaped with TableKey.Escape.");
            }

            builder.Append((char)code);
            i += 2;
        }

        return builder.ToString();
    }

    /// <summary>Whether the service would refuse <paramref name="key"/> for its characters.</summary>
    public static bool IsValid(string key) => !key.AsSpan().ContainsAny(Forbidden);

    private static readonly System.Buffers.SearchValues<char> Forbidden = System.Buffers.SearchValues.Create(ForbiddenChars(includeEscape: false));

    private static readonly System.Buffers.SearchValues<char> NeedsEscape = System.Buffers.SearchValues.Create(ForbiddenChars(includeEscape: true));

    private static string ForbiddenChars(bool includeEscape)
    {
        var chars = new StringBuilder("/\\#?");
        for (var c = '\u0000'; c <= '\u001F'; c++)
        {
            chars.Append(c);
        }

        for (var c = '\u007F'; c <= '\u009F'; c++)
        {
            chars.Append(c);
        }

        if (includeEscape)
        {
            chars.Append(EscapeChar);
        }

        return chars.ToString();
    }
}
