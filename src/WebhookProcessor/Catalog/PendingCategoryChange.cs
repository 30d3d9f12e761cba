namespace WebhookProcessor.Catalog;

/// <summary>A category change Meta has announced (or the Graph API shows) and not yet reported as done.</summary>
/// <param name="EffectiveAt">When it takes effect; null when nobody said: the Graph API shows a pending change without a date.</param>
/// <param name="AnnouncedAt">When the catalog learned of it (the notice's time, or the Graph API fetch).</param>
public sealed record PendingCategoryChange(string? From, string To, DateTimeOffset? EffectiveAt, DateTimeOffset AnnouncedAt);
