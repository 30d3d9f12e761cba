namespace WebhookProcessor.OpsConsole;

/// <summary>
/// The console's words in one language. Keys are English phrases (see <see cref="ConsoleWords"/>); a key
/// no area translates falls back to the key itself.
/// </summary>
public sealed class ConsoleTexts(string language, IReadOnlyDictionary<string, string> words)
{
    public string Language { get; } = language;

    public string this[string key] => words.TryGetValue(key, out var word) ? word : key;

    public IEnumerable<string> Keys => words.Keys;

    public static ConsoleTexts For(string language) => language == ConsoleLanguage.English ? English : Spanish;

    public static readonly ConsoleTexts English = new(ConsoleLanguage.English, ConsoleWords.English);

    public static readonly ConsoleTexts Spanish = new(ConsoleLanguage.Spanish, ConsoleWords.Spanish);
}
