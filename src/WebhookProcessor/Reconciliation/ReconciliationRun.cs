namespace WebhookProcessor.Reconciliation;

/// <summary>
/// One reconciliation run over one or more accounts, as stored and shown by <c>GET /api/reconciliations</c>.
/// </summary>
/// <param name="Id">Sortable by start time, unique (see <see cref="ReconciliationRunIds"/>).</param>
/// <param name="Trigger">What started it: <c>api</c>, <c>schedule</c>, <c>cli</c> or <c>overdue</c>.</param>
public sealed record ReconciliationRun(
    string Id,
    ReconciliationStatus Status,
    string Trigger,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    IReadOnlyList<AccountReconciliation> Accounts);
