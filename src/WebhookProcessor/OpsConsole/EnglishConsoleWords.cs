namespace WebhookProcessor.OpsConsole;

/// <summary>English: every key maps to itself unless the wording differs from the key.</summary>
internal static class EnglishConsoleWords
{
    public static readonly IReadOnlyDictionary<string, string> All = ConsoleWordList.Keys.ToDictionary(k => k, k => k, StringComparer.Ordinal);
}
