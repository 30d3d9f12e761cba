using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.Ops;

/// <summary>One account's part of a run in <c>GET /api/reconciliations</c>; <c>status</c> is running, succeeded, failed or skipped.</summary>
public sealed record AccountReconciliationDto(
    string WabaId,
    string Status,
    DateTime? StartedAt,
    DateTime? EndedAt,
    int TemplatesSeen,
    int Added,
    int Changed,
    int PendingChangesFound,
    int Deleted,
    int OverduePendingChanges,
    int GraphCalls,
    bool Bootstrap,
    string? Error)
{
    public static AccountReconciliationDto From(AccountReconciliation a) => new(
        a.WabaId,
        a.Status.ToString().ToLowerInvariant(),
        a.StartedAt?.UtcDateTime,
        a.EndedAt?.UtcDateTime,
        a.TemplatesSeen,
        a.Added,
        a.Changed,
        a.PendingChangesFound,
        a.Deleted,
        a.OverduePendingChanges,
        a.GraphCalls,
        a.Bootstrap,
        a.Error);
}
