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

/// <summary>A labelled value: a fact, or a text Meta wrote (shown verbatim).</summary>
internal sealed record AlertLine(string Label, string Value);

/// <summary>One upcoming change in a digest, already formatted.</summary>
internal sealed record DigestLine(
    string Template,
    string TemplateId,
    string Language,
    string Account,
    string Change,
    string EffectiveUtc,
    string EffectiveInWords);

/// <summary>What a language says about one case: what happened, and what the owner can do.</summary>
internal sealed record AlertBody(IReadOnlyList<string> Paragraphs, IReadOnlyList<string> Actions);
