namespace WebhookProcessor.OpsConsole;

/// <summary>Phrases of the owners pages: English key → Spanish.</summary>
internal static class OwnersWords
{
    public static readonly IReadOnlyDictionary<string, string> Spanish = new Dictionary<string, string>(StringComparer.Ordinal)
    {
    };
}
