namespace WebhookProcessor.Notifications;

public sealed record DigestItem(
    string WabaId,
    long TemplateId,
    string? TemplateName,
    string? Language,
    string? FromCategory,
    string ToCategory,
    DateTimeOffset? EffectiveAt);
