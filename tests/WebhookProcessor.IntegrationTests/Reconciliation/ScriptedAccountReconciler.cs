using System.Collections.Concurrent;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.IntegrationTests.Reconciliation;

/// <summary>
/// A stand-in for the per-account reconciler (a seam: the real one talks to the Graph API). Each call is
/// recorded; what it answers is the test's <see cref="Behaviour"/>, succeeding with fixed figures by default.
/// </summary>
public sealed class ScriptedAccountReconciler : IAccountReconciler
{
    public ConcurrentQueue<(string WabaId, string RunId, bool Bootstrap, bool Overdue)> Calls { get; } = new();

    public Func<string, Action<AccountReconciliation>?, CancellationToken, Task<AccountReconciliation>> Behaviour { get; set; } =
        (waba, _, _) => Task.FromResult(Succeeded(waba));

    public static AccountReconciliation Succeeded(string wabaId) =>
        new(wabaId, AccountRunStatus.Succeeded, TemplatesSeen: 12, Added: 3, Changed: 2, PendingChangesFound: 1, Deleted: 1, GraphCalls: 2);

    public static AccountReconciliation Failed(string wabaId, string error) => new(wabaId, AccountRunStatus.Failed, GraphCalls: 1, Error: error);

    public Task<AccountReconciliation> ReconcileAsync(string wabaId, string runId, bool bootstrap, Action<AccountReconciliation>? progress, CancellationToken cancellationToken)
    {
        Calls.Enqueue((wabaId, runId, bootstrap, false));
        return Behaviour(wabaId, progress, cancellationToken);
    }

    public Task<AccountReconciliation> ReconcileOverdueAsync(string wabaId, string runId, CancellationToken cancellationToken)
    {
        Calls.Enqueue((wabaId, runId, false, true));
        return Behaviour(wabaId, null, cancellationToken);
    }
}
