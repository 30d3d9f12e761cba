namespace WebhookProcessor.Notifications;

/// <summary>
/// One alert composed in one language, before it takes the shape of a channel. The e-mail and the
/// Teams card are both drawn from it, so they always say the same thing. Every string is plain
/// text; each channel encodes it its own way.
/// </summary>
internal sealed record AlertMessage(
    string Subject,
    string Title,
    string Greeting,
    IReadOnlyList<string> Paragraphs,
    IReadOnlyList<AlertLine> Facts,
    IReadOnlyList<AlertLine> MetaTexts,
    IReadOnlyList<DigestLine> Digest,
    IReadOnlyList<string> Actions,
    string Footer);
