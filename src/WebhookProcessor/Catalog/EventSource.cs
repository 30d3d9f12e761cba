namespace WebhookProcessor.Catalog;

/// <summary>Where a history event came from: a webhook Meta sent, or a difference a reconciliation run found.</summary>
public enum EventSource
{
    Webhook,
    Reconciliation,
}
