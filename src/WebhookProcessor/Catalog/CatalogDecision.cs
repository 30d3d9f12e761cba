namespace WebhookProcessor.Catalog;

/// <summary>The outcome of applying one event: the record to store (null: nothing to store) and whether the event changed it.</summary>
public sealed record CatalogDecision(TemplateRecord? Next, bool Applied);
