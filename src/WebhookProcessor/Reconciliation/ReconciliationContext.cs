namespace WebhookProcessor.Reconciliation;

/// <param name="FetchedAt">When the Graph API gave its answer: the time of every event made from it, so a webhook older than that does not roll it back.</param>
/// <param name="Bootstrap">The account's first run: templates simply found there alert nobody.</param>
public sealed record ReconciliationContext(string WabaId, string RunId, DateTimeOffset FetchedAt, bool Bootstrap);
