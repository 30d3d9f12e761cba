namespace WebhookProcessor.OpsConsole;

/// <summary>Phrases of the API reference page: English key → Spanish.</summary>
internal static class ApiReferenceWords
{
    public static readonly IReadOnlyDictionary<string, string> Spanish = new Dictionary<string, string>(StringComparer.Ordinal)
    {
    };
}
