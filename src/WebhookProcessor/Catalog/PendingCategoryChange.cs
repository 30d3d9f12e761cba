namespace WebhookProcessor.Catalog;

/// <summary>A category change Meta has announced and not yet reported as done.</summary>
public sealed record PendingCategoryChange(string? From, string To, DateTimeOffset EffectiveAt, DateTimeOffset AnnouncedAt);
