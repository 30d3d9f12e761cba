namespace WebhookProcessor.OpsConsole;

/// <summary>Phrases of the templates list and a template's page: English key → Spanish.</summary>
internal static class TemplatesWords
{
    public static readonly IReadOnlyDictionary<string, string> Spanish = new Dictionary<string, string>(StringComparer.Ordinal)
    {
    };
}
