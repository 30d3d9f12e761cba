namespace WebhookProcessor.OpsConsole;

/// <summary>Phrases of the dead letters page: English key → Spanish.</summary>
internal static class DeadLettersWords
{
    public static readonly IReadOnlyDictionary<string, string> Spanish = new Dictionary<string, string>(StringComparer.Ordinal)
    {
    };
}
