namespace WebhookProcessor.OpsConsole;

/// <summary>Phrases of the overview page: English key → Spanish.</summary>
internal static class OverviewWords
{
    public static readonly IReadOnlyDictionary<string, string> Spanish = new Dictionary<string, string>(StringComparer.Ordinal)
    {
    };
}
