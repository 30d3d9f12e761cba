namespace WebhookProcessor.OpsConsole;

/// <summary>
/// Every phrase the console shows, keyed by its English wording, gathered from one file per area under
/// <c>Words/</c> (so pages are translated beside each other without touching one shared list). A phrase
/// used by two areas must be translated the same in both; a test checks it.
/// </summary>
internal static class ConsoleWords
{
    public static readonly IReadOnlyList<IReadOnlyDictionary<string, string>> Areas =
    [
        CommonWords.Spanish,
        OverviewWords.Spanish,
        EventsWords.Spanish,
        TemplatesWords.Spanish,
        AlertsWords.Spanish,
        DeadLettersWords.Spanish,
        OwnersWords.Spanish,
        ApiReferenceWords.Spanish,
    ];

    public static readonly IReadOnlyDictionary<string, string> Spanish = Merge();

    public static readonly IReadOnlyDictionary<string, string> English = Spanish.Keys.ToDictionary(k => k, k => k, StringComparer.Ordinal);

    private static Dictionary<string, string> Merge()
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var area in Areas)
        {
            foreach (var (english, spanish) in area)
            {
                all.TryAdd(english, spanish);
            }
        }

        return all;
    }
}
