namespace WebhookProcessor.Reconciliation;

/// <summary>One page of an account's template listing and the time its request was sent.</summary>
public sealed record GraphTemplatePage(DateTimeOffset RequestedAt, IReadOnlyList<GraphTemplate> Templates);
