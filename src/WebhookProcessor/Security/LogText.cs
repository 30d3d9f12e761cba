using System.Text;

namespace WebhookProcessor.Security;

/// <summary>Makes request-derived text safe to put in a log line.</summary>
public static class LogText
{
    /// <summary>Longest request-derived value written to a log line; the rest is cut and marked.</summary>
    public const int MaxLength = 256;

    /// <summary>
    /// Drops control characters (CR and LF would let a caller start a forged log line, escape sequences
    /// could rewrite a terminal) and cuts long values, so what a caller sends can never shape the log.
    /// </summary>
    public static string? Clean(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var needsWork = value.Length > MaxLength;
        foreach (var c in value)
        {
            needsWork |= IsUnsafe(c);
        }

        if (!needsWork)
        {
            return value;
        }

        var builder = new StringBuilder(Math.Min(value.Length, MaxLength + 1));
        foreach (var c in value)
        {
            if (builder.Length == MaxLength)
            {
                builder.Append('…');
                break;
            }

            if (!IsUnsafe(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    // Unicode line and paragraph separators end a line in some viewers just as LF does.
    private static bool IsUnsafe(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
