using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.Ops;

/// <summary>A run in <c>GET /api/reconciliations</c>; <c>status</c> is running, succeeded, failed or partial.</summary>
public sealed record ReconciliationRunDto(string Id, string Status, string Trigger, DateTime StartedAt, DateTime? EndedAt, IReadOnlyList<AccountReconciliationDto> Accounts)
{
    public static ReconciliationRunDto From(ReconciliationRun run) => new(
        run.Id,
        run.Status.ToString().ToLowerInvariant(),
        run.Trigger,
        run.StartedAt.UtcDateTime,
        run.EndedAt?.UtcDateTime,
        run.Accounts.Select(AccountReconciliationDto.From).ToList());
}
