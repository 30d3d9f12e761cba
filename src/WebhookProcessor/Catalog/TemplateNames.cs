namespace WebhookProcessor.Catalog;

/// <summary>
/// The one rule for the "name contains" search, so the SQLite store (SQL <c>lower</c>) and the Table
/// store (checked in memory) agree: only ASCII letters are folded, as SQLite's <c>lower</c> does.
/// </summary>
public static class TemplateNames
{
    public static string Fold(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = char.IsAsciiLetterUpper(source[i]) ? (char)(source[i] + ('a' - 'A')) : source[i];
        }
    });

    public static bool Contains(string? name, string part) =>
        name is not null && Fold(name).Contains(Fold(part), StringComparison.Ordinal);
}
