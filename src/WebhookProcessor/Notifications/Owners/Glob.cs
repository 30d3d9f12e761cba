namespace WebhookProcessor.Notifications;

/// <summary>
/// Template-name patterns: <c>*</c> any run of characters, <c>?</c> one character, letters compared
/// without regard to case.
/// </summary>
/// <remarks>
/// The pattern is cut at its stars into literal pieces. The first piece must start the name, the last
/// must end it, and each piece in between is found at its leftmost place after the one before; the
/// leftmost place is always safe, so nothing is ever tried twice. The work is one forward pass over the
/// name per piece, bounded by the name's length times the pattern's, and both are capped where they
/// enter (<see cref="MaxPatternLength"/>; names at 512 by the parser): a matching loop with backtracking
/// over unbounded input once took 22 s on a 2 MB name.
/// </remarks>
public static class Glob
{
    /// <summary>Longest pattern an owner may use; real ones are a prefix and a star.</summary>
    public const int MaxPatternLength = 128;

    public static bool IsMatch(string pattern, string text)
    {
        var p = pattern.AsSpan();
        var t = text.AsSpan();
        var firstStar = p.IndexOf('*');
        if (firstStar < 0)
        {
            return p.Length == t.Length && PieceAt(p, t);
        }

        var lastStar = p.LastIndexOf('*');
        var head = p[..firstStar];
        var tail = p[(lastStar + 1)..];
        if (head.Length + tail.Length > t.Length || !PieceAt(head, t[..head.Length]) || !PieceAt(tail, t[(t.Length - tail.Length)..]))
        {
            return false;
        }

        var rest = t[head.Length..(t.Length - tail.Length)];
        var middle = firstStar == lastStar ? [] : p[(firstStar + 1)..lastStar];
        foreach (var range in middle.Split('*'))
        {
            var piece = middle[range];
            if (piece.IsEmpty)
            {
                continue;
            }

            var at = Find(piece, rest);
            if (at < 0)
            {
                return false;
            }

            rest = rest[(at + piece.Length)..];
        }

        return true;
    }

    public static int LiteralCount(string pattern) => pattern.Count(c => c is not ('*' or '?'));

    /// <summary>Leftmost place of <paramref name="piece"/> (no stars) in <paramref name="text"/>, or -1.</summary>
    private static int Find(ReadOnlySpan<char> piece, ReadOnlySpan<char> text)
    {
        if (!piece.Contains('?'))
        {
            return text.IndexOf(piece, StringComparison.OrdinalIgnoreCase);
        }

        for (var start = 0; start + piece.Length <= text.Length; start++)
        {
            if (PieceAt(piece, text.Slice(start, piece.Length)))
            {
                return start;
            }
        }

        return -1;
    }

    /// <summary>Whether <paramref name="piece"/> (no stars) matches <paramref name="text"/> of the same length.</summary>
    private static bool PieceAt(ReadOnlySpan<char> piece, ReadOnlySpan<char> text)
    {
        for (var i = 0; i < piece.Length; i++)
        {
            if (piece[i] != '?' && char.ToLowerInvariant(piece[i]) != char.ToLowerInvariant(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
