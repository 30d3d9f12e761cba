namespace WebhookProcessor.Reconciliation;

/// <summary>
/// The lasting state of one account's reconciliation: when it last succeeded (null: never, so the next
/// run is a bootstrap) and which run holds it now, if any, until when.
/// </summary>
public sealed record ReconciledAccount(
    string WabaId,
    DateTimeOffset? LastSucceededAt,
    string? LastRunId,
    string? HeldByRunId,
    DateTimeOffset? HeldUntil);
