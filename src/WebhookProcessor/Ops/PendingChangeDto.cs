namespace WebhookProcessor.Ops;

public sealed record PendingChangeDto(string? From, string To, DateTime EffectiveAt, DateTime AnnouncedAt);
