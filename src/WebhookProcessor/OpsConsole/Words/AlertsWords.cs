namespace WebhookProcessor.OpsConsole;

/// <summary>Phrases of the alerts page: English key → Spanish.</summary>
internal static class AlertsWords
{
    public static readonly IReadOnlyDictionary<string, string> Spanish = new Dictionary<string, string>(StringComparer.Ordinal)
    {
    };
}
