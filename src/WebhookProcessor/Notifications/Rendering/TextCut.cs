namespace WebhookProcessor.Notifications;

/// <summary>Shortens text without splitting a surrogate pair, marking the cut with an ellipsis.</summary>
internal static class TextCut
{
    public const string Ellipsis = "…";

    public static string ToLength(string text, int maxChars)
    {
        if (text.Length <= maxChars)
            return text;
        var keep = Math.Max(0, maxChars - Ellipsis.Length);
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
            keep--;
        return string.Concat(text.AsSpan(0, keep), Ellipsis);
    }
}
