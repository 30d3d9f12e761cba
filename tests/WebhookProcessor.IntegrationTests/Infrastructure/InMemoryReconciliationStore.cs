using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// TEST DOUBLE of <see cref="IReconciliationStore"/>, kept only until the SQLite and Table stores are
/// registered by Hosting/Providers: then the tests that register this should use the app's own store.
/// It keeps the contract's claim rules (free, same run, or expired) under one lock.
/// </summary>
public sealed class InMemoryReconciliationStore : IReconciliationStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ReconciliationRun> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ReconciledAccount> _accounts = new(StringComparer.Ordinal);

    public Task SaveRunAsync(ReconciliationRun run, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _runs[run.Id] = run;
        }

        return Task.CompletedTask;
    }

    public Task<ReconciliationRun?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_runs.GetValueOrDefault(runId));
        }
    }

    public Task<IReadOnlyList<ReconciliationRun>> ListRunsAsync(int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ReconciliationRun>>(_runs.Values
                .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal).Take(limit).ToList());
        }
    }

    public Task<string?> TryClaimAccountAsync(string wabaId, string runId, DateTimeOffset now, TimeSpan holdFor, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var current = _accounts.GetValueOrDefault(wabaId) ?? new ReconciledAccount(wabaId, null, null, null, null);
            if (current.HeldByRunId is { } holder && holder != runId && current.HeldUntil > now)
            {
                return Task.FromResult<string?>(holder);
            }

            _accounts[wabaId] = current with { HeldByRunId = runId, HeldUntil = now + holdFor };
            return Task.FromResult<string?>(null);
        }
    }

    public Task ReleaseAccountAsync(string wabaId, string runId, DateTimeOffset? succeededAt, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_accounts.GetValueOrDefault(wabaId) is { } current && current.HeldByRunId == runId)
            {
                _accounts[wabaId] = current with
                {
                    HeldByRunId = null,
                    HeldUntil = null,
                    LastSucceededAt = succeededAt ?? current.LastSucceededAt,
                    LastRunId = succeededAt is null ? current.LastRunId : runId,
                };
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ReconciledAccount>> ListAccountsAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ReconciledAccount>>(_accounts.Values.OrderBy(a => a.WabaId, StringComparer.Ordinal).ToList());
        }
    }
}
