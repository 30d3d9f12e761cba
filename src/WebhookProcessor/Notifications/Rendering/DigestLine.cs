namespace WebhookProcessor.Notifications;

/// <summary>One upcoming change in a digest, already formatted.</summary>
internal sealed record DigestLine(
    string Template,
    string TemplateId,
    string Language,
    string Account,
    string Change,
    string EffectiveUtc,
    string EffectiveInWords);
