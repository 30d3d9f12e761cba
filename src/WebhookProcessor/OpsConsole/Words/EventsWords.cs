namespace WebhookProcessor.OpsConsole;

/// <summary>Phrases of the events page: English key → Spanish.</summary>
internal static class EventsWords
{
    public static readonly IReadOnlyDictionary<string, string> Spanish = new Dictionary<string, string>(StringComparer.Ordinal)
    {
    };
}
