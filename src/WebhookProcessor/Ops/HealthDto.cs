namespace WebhookProcessor.Ops;

/// <param name="PendingAlerts">Alerts waiting to be sent (or being sent).</param>
/// <param name="FailedAlerts">Alerts that used up their attempts and wait for a re-send.</param>
/// <param name="UnroutedAlerts">Alerts for templates no owner matches, with no default owner.</param>
/// <param name="Dependencies">Each outside dependency checked (e.g. <c>serviceBus</c>): <c>ok</c>, or what is wrong and the setting to fix; null when there is none.</param>
/// <param name="Reconciliation">Whether reconciliation with Meta's Graph API is on: <c>configured</c>, or <c>off: …</c> naming the setting that turns it on. Never the token.</param>
/// <param name="ReconciliationAccounts">Each account a reconciliation run has claimed, with when it last succeeded (null: never).</param>
/// <param name="OverduePendingChanges">Catalog templates whose pending category change is past its effective time plus <c>Reconciliation:OverdueGrace</c>.</param>
public sealed record HealthDto(
    string Status,
    long? QueueDepth,
    double? OldestMessageAgeSeconds,
    long? DeadLetterCount,
    int? PendingAlerts,
    int? FailedAlerts,
    int? UnroutedAlerts,
    string? Error,
    IReadOnlyDictionary<string, string>? Dependencies = null,
    string? Reconciliation = null,
    IReadOnlyList<ReconciledAccountDto>? ReconciliationAccounts = null,
    int? OverduePendingChanges = null);
