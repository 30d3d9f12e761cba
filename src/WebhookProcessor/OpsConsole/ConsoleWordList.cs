namespace WebhookProcessor.OpsConsole;

/// <summary>
/// Every phrase the console shows, in English; <see cref="SpanishConsoleWords"/> translates each. Add a
/// phrase here and its Spanish there (a test fails otherwise).
/// </summary>
internal static class ConsoleWordList
{
    public static readonly string[] Keys =
    [
        "Ops console",
        "Sign in",
        "Sign out",
        "API key",
        "Sign in with an ops API key (Ops:ApiKeys, or Ops:ReadOnlyApiKeys to only look).",
        "That key is not configured.",
        "Too many wrong keys from this address; wait a minute and try again.",
        "Signed in with a read-only key: you can look, not change.",
        "Overview",
        "Templates",
        "Events",
        "Alerts",
        "Dead letters",
        "Owners",
        "API reference",
        "Language",
        "Main navigation",
        "Skip to content",
        "local time",
        "Nothing here yet.",
        "Previous",
        "Next",
        "Search",
        "Filter",
        "Clear filters",
        "Read-only keys cannot do this.",
        "Page not found",
    ];
}
