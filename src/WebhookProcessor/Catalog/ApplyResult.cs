namespace WebhookProcessor.Catalog;

/// <param name="Alerts">How many outbox items the event created (written in the same transaction).</param>
public sealed record ApplyResult(string EventId, bool Duplicate, bool CatalogApplied, int Alerts = 0);
