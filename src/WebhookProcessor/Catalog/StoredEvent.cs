namespace WebhookProcessor.Catalog;

/// <param name="RawBytes">The size of the raw change in UTF-8 bytes, where the store knows it.</param>
public sealed record StoredEvent(TemplateEvent Event, bool CatalogApplied, DateTimeOffset ProcessedAt, long? RawBytes = null);
