namespace WebhookProcessor.Notifications;

/// <summary>
/// Turns an alert's facts into the e-mail and Teams forms one owner receives, in the owner's language.
/// Pure: no clock, no I/O, the same output for the same input, so a stored alert re-renders identically.
/// </summary>
public static class AlertRenderer
{
    public const int DefaultMaxTeamsPayloadBytes = 27 * 1024;

    /// <summary>
    /// Renders <paramref name="facts"/> for one owner.
    /// </summary>
    /// <param name="language">"es" or "en" (any other value: "es").</param>
    /// <param name="ownerDisplayName">The name the greeting uses; may be empty.</param>
    /// <param name="maxTeamsPayloadBytes">
    /// Cap on the UTF-8 size of <see cref="RenderedAlert.TeamsPayload"/>; longer texts and digests are
    /// cut to fit. At least 2,048.
    /// </param>
    public static RenderedAlert Render(
        AlertFacts facts,
        string language,
        string ownerDisplayName,
        int maxTeamsPayloadBytes = DefaultMaxTeamsPayloadBytes)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTeamsPayloadBytes, TeamsCard.MinPayloadBytes);

        var texts = AlertTexts.For(language);
        var message = AlertComposer.Compose(facts, texts, ownerDisplayName ?? "");
        return new RenderedAlert(
            message.Subject,
            AlertEmail.Html(message, texts),
            AlertEmail.Text(message, texts),
            TeamsCard.Build(message, texts, maxTeamsPayloadBytes));
    }
}
