namespace WebhookProcessor.Reconciliation;

/// <summary>
/// Runs and per-account state of reconciliation. Implementations: SQLite (embedded default, the same
/// file as the catalog) and Table Storage on Azure. The claim is in the store, not in memory, so the
/// CLI's <c>reconcile</c> and a running service sharing one store never reconcile an account at once.
/// </summary>
public interface IReconciliationStore
{
    /// <summary>Writes the run as it is now, replacing what was stored under its id.</summary>
    Task SaveRunAsync(ReconciliationRun run, CancellationToken cancellationToken = default);

    Task<ReconciliationRun?> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Newest first (by start time, then id).</summary>
    Task<IReadOnlyList<ReconciliationRun>> ListRunsAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims <paramref name="wabaId"/> for <paramref name="runId"/> until <paramref name="now"/> +
    /// <paramref name="holdFor"/>, atomically. Succeeds when nobody holds it, the same run holds it (a renewal),
    /// or the holder's claim has expired (a crashed run). Returns null on success, otherwise the run id that holds it.
    /// </summary>
    Task<string?> TryClaimAccountAsync(string wabaId, string runId, DateTimeOffset now, TimeSpan holdFor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives the account up if <paramref name="runId"/> holds it; with <paramref name="succeededAt"/>, also
    /// records the account's last success (and <paramref name="runId"/> as its last run).
    /// </summary>
    Task ReleaseAccountAsync(string wabaId, string runId, DateTimeOffset? succeededAt, CancellationToken cancellationToken = default);

    /// <summary>Every account a run has claimed at least once, by account id.</summary>
    Task<IReadOnlyList<ReconciledAccount>> ListAccountsAsync(CancellationToken cancellationToken = default);
}
