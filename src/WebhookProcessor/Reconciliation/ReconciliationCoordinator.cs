using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using WebhookProcessor.Catalog;

namespace WebhookProcessor.Reconciliation;

/// <summary>
/// Starts and records reconciliation runs, whoever asks (the ops API, the embedded loop, the timer
/// function, the CLI). A run goes through its accounts one after another: each is claimed in the
/// store first (one run at a time per account, across processes), reconciled, and released; the run
/// is saved after each account and while one is in progress, so <c>GET /api/reconciliations</c> shows
/// it as it goes. A run that breaks is saved as failed with the reason on each unfinished account.
/// </summary>
public sealed partial class ReconciliationCoordinator : IAsyncDisposable
{
    /// <summary>How often a running account's figures are saved, at most.</summary>
    internal static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    /// <summary>Runs newer than this many are enough to find the newest scheduled one.</summary>
    private const int RecentRuns = 50;

    private readonly IReconciliationStore _store;
    private readonly IAccountReconciler _reconciler;
    private readonly ITemplateStore _catalog;
    private readonly IOptions<MetaAccountsOptions> _accounts;
    private readonly IOptions<GraphApiOptions> _graphApi;
    private readonly IOptions<ReconciliationOptions> _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<ReconciliationCoordinator> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, Task> _background = new(StringComparer.Ordinal);
    private readonly CancellationTokenRegistration _onStopping;

    public ReconciliationCoordinator(
        IReconciliationStore store,
        IAccountReconciler reconciler,
        ITemplateStore catalog,
        IOptions<MetaAccountsOptions> accounts,
        IOptions<GraphApiOptions> graphApi,
        IOptions<ReconciliationOptions> options,
        IHostApplicationLifetime lifetime,
        TimeProvider clock,
        ILogger<ReconciliationCoordinator> logger)
    {
        _store = store;
        _reconciler = reconciler;
        _catalog = catalog;
        _accounts = accounts;
        _graphApi = graphApi;
        _options = options;
        _clock = clock;
        _logger = logger;
        // Background runs stop when the host starts stopping; DisposeAsync then waits for them to save.
        _onStopping = lifetime.ApplicationStopping.Register(() => _stopping.Cancel());
    }

    /// <summary>Runs started by <see cref="StartAsync"/> and not finished yet.</summary>
    internal int BackgroundRuns => _background.Count;

    /// <summary>
    /// Saves a <c>running</c> run over <paramref name="wabaId"/> (or every known account) and carries it
    /// out in the background; returns the run as saved.
    /// </summary>
    /// <exception cref="ReconciliationRefusedException">No token, or the one account asked for is held by another run.</exception>
    public async Task<ReconciliationRun> StartAsync(string? wabaId, string trigger, CancellationToken cancellationToken)
    {
        var (run, accounts) = await BeginAsync(wabaId, trigger, cancellationToken);
        // Tracked until it ends; the host's shutdown cancels it and DisposeAsync awaits it, so it is never lost.
        var work = Task.Run(() => CompleteAsync(run, accounts, _stopping.Token), CancellationToken.None);
        _background[run.Id] = work;
        _ = work.ContinueWith(_ => _background.TryRemove(run.Id, out Task? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return run;
    }

    /// <summary>The same as <see cref="StartAsync"/>, awaited: returns the run as it ended.</summary>
    /// <exception cref="ReconciliationRefusedException">No token, or the one account asked for is held by another run.</exception>
    public async Task<ReconciliationRun> RunAsync(string? wabaId, string trigger, CancellationToken cancellationToken)
    {
        var (run, accounts) = await BeginAsync(wabaId, trigger, cancellationToken);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        return await CompleteAsync(run, accounts, linked.Token);
    }

    /// <summary>
    /// Looks for catalog templates whose pending change is overdue and, for each account that has any,
    /// lets the reconciler fetch them one by one. The run is recorded (trigger <paramref name="trigger"/>)
    /// only when some account had an overdue change; otherwise nothing is stored and null is returned, so
    /// an hourly check that finds nothing does not bury the full runs in the list.
    /// </summary>
    /// <exception cref="ReconciliationRefusedException">No token.</exception>
    public async Task<ReconciliationRun?> CheckOverdueAsync(string trigger, CancellationToken cancellationToken)
    {
        EnsureConfigured();
        var accounts = await OverdueAccountsAsync(cancellationToken);
        if (accounts.Count == 0)
        {
            return null;
        }

        var now = _clock.GetUtcNow();
        var run = new ReconciliationRun(ReconciliationRunIds.New(now), ReconciliationStatus.Running, trigger, now, null,
            accounts.Select(a => new AccountReconciliation(a, AccountRunStatus.Running)).ToList());
        await _store.SaveRunAsync(run, cancellationToken);
        Log.Started(_logger, run.Id, trigger, accounts.Count);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        return await CompleteAsync(run, accounts, linked.Token, overdue: true);
    }

    /// <summary>
    /// Whether a scheduled full run is due now, for a caller that keeps no state between calls (the timer
    /// function): when an account has never been reconciled, or no scheduled run started within
    /// <see cref="ReconciliationOptions.Interval"/>.
    /// </summary>
    public async Task<bool> IsFullRunDueAsync(string scheduledTrigger, CancellationToken cancellationToken)
    {
        var known = await _store.ListAccountsAsync(cancellationToken);
        var accounts = await ListAccountsAsync(known, cancellationToken);
        if (accounts.Except(known.Select(k => k.WabaId), StringComparer.Ordinal).Any())
        {
            return true;
        }

        var runs = await _store.ListRunsAsync(RecentRuns, cancellationToken);
        var last = runs.FirstOrDefault(r => r.Trigger == scheduledTrigger);
        return last is null || last.StartedAt + _options.Value.Interval <= _clock.GetUtcNow();
    }

    /// <summary>
    /// When the embedded loop's next full run is due: soon when an account has never succeeded (its
    /// bootstrap), otherwise <see cref="ReconciliationOptions.Interval"/> after the oldest last success.
    /// </summary>
    public async Task<DateTimeOffset> NextFullRunAsync(TimeSpan soon, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var known = await _store.ListAccountsAsync(cancellationToken);
        var accounts = await ListAccountsAsync(known, cancellationToken);
        if (accounts.Count == 0)
        {
            return now + _options.Value.Interval;
        }

        var successes = known.ToDictionary(k => k.WabaId, k => k.LastSucceededAt, StringComparer.Ordinal);
        if (accounts.Any(a => successes.GetValueOrDefault(a) is null))
        {
            return now + soon;
        }

        var oldest = accounts.Min(a => successes[a]!.Value);
        var due = oldest + _options.Value.Interval;
        return due < now ? now : due;
    }

    public async ValueTask DisposeAsync()
    {
        await _onStopping.DisposeAsync();
        await _stopping.CancelAsync();
        // Each background run saves itself as failed when cancelled; wait for those saves.
        await Task.WhenAll(_background.Values);
        _stopping.Dispose();
    }

    private void EnsureConfigured()
    {
        if (!_graphApi.Value.IsConfigured)
        {
            throw ReconciliationRefusedException.NotConfigured();
        }
    }

    private async Task<(ReconciliationRun Run, IReadOnlyList<string> Accounts)> BeginAsync(string? wabaId, string trigger, CancellationToken cancellationToken)
    {
        EnsureConfigured();
        if (wabaId is not null && !GraphIds.IsId(wabaId))
        {
            throw new ArgumentException("wabaId must be a WhatsApp Business Account id (digits only).", nameof(wabaId));
        }

        var now = _clock.GetUtcNow();
        var runId = ReconciliationRunIds.New(now);
        IReadOnlyList<string> accounts;
        if (wabaId is not null)
        {
            // Claimed before anything is saved, atomically: a second request for the same account is refused, not queued.
            if (await _store.TryClaimAccountAsync(wabaId, runId, now, _options.Value.ClaimDuration, cancellationToken) is { } holder)
            {
                throw ReconciliationRefusedException.Held(wabaId, holder);
            }

            accounts = [wabaId];
        }
        else
        {
            accounts = await ListAccountsAsync(await _store.ListAccountsAsync(cancellationToken), cancellationToken);
        }

        var run = new ReconciliationRun(runId, ReconciliationStatus.Running, trigger, now, null,
            accounts.Select(a => new AccountReconciliation(a, AccountRunStatus.Running)).ToList());
        try
        {
            await _store.SaveRunAsync(run, cancellationToken);
        }
        catch when (wabaId is not null)
        {
            await _store.ReleaseAccountAsync(wabaId, runId, null, CancellationToken.None);
            throw;
        }

        Log.Started(_logger, run.Id, trigger, accounts.Count);
        return (run, accounts);
    }

    /// <summary>Meta:Accounts, the catalog's accounts and every account a run has claimed: sorted, each once.</summary>
    private async Task<IReadOnlyList<string>> ListAccountsAsync(IReadOnlyList<ReconciledAccount> known, CancellationToken cancellationToken)
    {
        var catalog = await _catalog.ListAccountsAsync(cancellationToken);
        return _accounts.Value.Accounts.Concat(catalog).Concat(known.Select(k => k.WabaId))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private async Task<IReadOnlyList<string>> OverdueAccountsAsync(CancellationToken cancellationToken)
    {
        var overdue = await PendingChanges.ListOverdueAsync(_catalog, null, _clock.GetUtcNow(), _options.Value.OverdueGrace, cancellationToken);
        return overdue.Select(t => t.WabaId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Carries a saved run out to its end and saves it; never throws except for the caller's own cancellation after saving.</summary>
    private async Task<ReconciliationRun> CompleteAsync(ReconciliationRun run, IReadOnlyList<string> wabaIds, CancellationToken cancellationToken, bool overdue = false)
    {
        var accounts = run.Accounts.ToArray();
        var known = new Dictionary<string, ReconciledAccount>(StringComparer.Ordinal);
        try
        {
            foreach (var account in await _store.ListAccountsAsync(cancellationToken))
            {
                known[account.WabaId] = account;
            }

            for (var i = 0; i < wabaIds.Count; i++)
            {
                var index = i;
                var bootstrap = known.GetValueOrDefault(wabaIds[i])?.LastSucceededAt is null;
                accounts[i] = await ReconcileAccountAsync(run, wabaIds[i], bootstrap, overdue,
                    progress => accounts[index] = progress,
                    () => run with { Accounts = [.. accounts] },
                    cancellationToken);
                await _store.SaveRunAsync(run with { Accounts = [.. accounts] }, cancellationToken);
            }

            var ended = run with { Status = StatusOf(accounts), EndedAt = _clock.GetUtcNow(), Accounts = [.. accounts] };
            await _store.SaveRunAsync(ended, cancellationToken);
            Log.Ended(_logger, run.Id, ended.Status, accounts.Count(a => a.Status == AccountRunStatus.Succeeded), accounts.Length);
            return ended;
        }
        catch (Exception ex)
        {
            var why = ex is OperationCanceledException
                ? "The run was cancelled (the service stopped or the caller gave up) before this account finished."
                : $"The run stopped ({ex.GetType().Name}); see the service log.";
            if (ex is OperationCanceledException)
            {
                Log.Cancelled(_logger, run.Id);
            }
            else
            {
                Log.RunFailed(_logger, ex, run.Id);
            }

            var now = _clock.GetUtcNow();
            for (var i = 0; i < accounts.Length; i++)
            {
                if (accounts[i].Status == AccountRunStatus.Running)
                {
                    accounts[i] = accounts[i] with { Status = AccountRunStatus.Failed, EndedAt = now, Error = why };
                }
            }

            var failed = run with { Status = StatusOf(accounts), EndedAt = now, Accounts = [.. accounts] };
            // Saved whatever the token says: the record of a broken run must not be lost with it.
            await _store.SaveRunAsync(failed, CancellationToken.None);
            return failed;
        }
    }

    private async Task<AccountReconciliation> ReconcileAccountAsync(
        ReconciliationRun run,
        string wabaId,
        bool bootstrap,
        bool overdue,
        Action<AccountReconciliation> report,
        Func<ReconciliationRun> snapshot,
        CancellationToken cancellationToken)
    {
        var started = _clock.GetUtcNow();
        var claim = _options.Value.ClaimDuration;
        if (await _store.TryClaimAccountAsync(wabaId, run.Id, started, claim, cancellationToken) is { } holder)
        {
            Log.Skipped(_logger, run.Id, wabaId, holder);
            return new AccountReconciliation(wabaId, AccountRunStatus.Skipped, started, started, Bootstrap: false,
                Error: $"Run {holder} is reconciling this account; one run at a time per account.");
        }

        var current = new AccountReconciliation(wabaId, AccountRunStatus.Running, started, Bootstrap: bootstrap && !overdue);
        report(current);
        AccountReconciliation? result = null;
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = HeartbeatAsync(run.Id, wabaId, snapshot, work, heartbeatStop.Token);
        try
        {
            var outcome = overdue
                ? await _reconciler.ReconcileOverdueAsync(wabaId, run.Id, work.Token)
                : await _reconciler.ReconcileAsync(wabaId, run.Id, bootstrap,
                    progress => report(progress with { WabaId = wabaId, Status = AccountRunStatus.Running, StartedAt = started, Bootstrap = bootstrap }),
                    work.Token);
            result = outcome with { WabaId = wabaId, StartedAt = outcome.StartedAt ?? started, EndedAt = outcome.EndedAt ?? _clock.GetUtcNow(), Bootstrap = bootstrap && !overdue };
            if (result.Status is AccountRunStatus.Running)
            {
                // A reconciler that returns without saying how it ended has not succeeded.
                result = result with { Status = AccountRunStatus.Failed, Error = result.Error ?? "The reconciler returned without an outcome." };
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && work.IsCancellationRequested)
        {
            result = current with
            {
                Status = AccountRunStatus.Failed,
                EndedAt = _clock.GetUtcNow(),
                Error = "Stopped: this run's claim on the account expired and another run took it (see Reconciliation:ClaimDuration).",
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The reconciler throws only for a store failure: this account fails, the run carries on with the others.
            Log.AccountFailed(_logger, ex, run.Id, wabaId);
            result = current with
            {
                Status = AccountRunStatus.Failed,
                EndedAt = _clock.GetUtcNow(),
                Error = $"The catalog or reconciliation store failed ({ex.GetType().Name}); see the service log.",
            };
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
            var succeededAt = result?.Status == AccountRunStatus.Succeeded ? result.EndedAt : null;
            await ReleaseAsync(wabaId, run.Id, succeededAt);
        }

        return result;
    }

    /// <summary>
    /// While an account is being reconciled: renews the claim once a third of its duration has passed, and
    /// saves the run's figures every <see cref="ProgressInterval"/>. Losing the claim to another run stops the account.
    /// </summary>
    private async Task HeartbeatAsync(string runId, string wabaId, Func<ReconciliationRun> snapshot, CancellationTokenSource work, CancellationToken stop)
    {
        var claim = _options.Value.ClaimDuration;
        var renewEvery = claim / 3;
        var tick = renewEvery < ProgressInterval ? renewEvery : ProgressInterval;
        var renewedAt = _clock.GetUtcNow();
        try
        {
            while (true)
            {
                await Task.Delay(tick, _clock, stop);
                try
                {
                    var now = _clock.GetUtcNow();
                    if (now - renewedAt >= renewEvery)
                    {
                        if (await _store.TryClaimAccountAsync(wabaId, runId, now, claim, stop) is { } holder)
                        {
                            Log.ClaimLost(_logger, runId, wabaId, holder);
                            await work.CancelAsync();
                            return;
                        }

                        renewedAt = now;
                    }

                    await _store.SaveRunAsync(snapshot(), stop);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The work goes on; the next tick tries again, well before the claim runs out.
                    Log.HeartbeatFailed(_logger, ex, runId, wabaId);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The account is done.
        }
    }

    private async Task ReleaseAsync(string wabaId, string runId, DateTimeOffset? succeededAt)
    {
        try
        {
            await _store.ReleaseAccountAsync(wabaId, runId, succeededAt, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The claim then runs out by itself after Reconciliation:ClaimDuration; a success not recorded
            // only means the next run is a bootstrap again, which alerts nobody about what is simply there.
            Log.ReleaseFailed(_logger, ex, runId, wabaId);
        }
    }

    internal static ReconciliationStatus StatusOf(IReadOnlyCollection<AccountReconciliation> accounts)
    {
        var succeeded = accounts.Count(a => a.Status == AccountRunStatus.Succeeded);
        return succeeded == accounts.Count ? ReconciliationStatus.Succeeded
            : succeeded == 0 ? ReconciliationStatus.Failed
            : ReconciliationStatus.Partial;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9201, Level = LogLevel.Information, Message = "Reconciliation run {RunId} ({Trigger}) started over {Accounts} account(s)")]
        public static partial void Started(ILogger logger, string runId, string trigger, int accounts);

        [LoggerMessage(EventId = 9202, Level = LogLevel.Information, Message = "Reconciliation run {RunId} ended {Status}: {Succeeded} of {Accounts} account(s) succeeded")]
        public static partial void Ended(ILogger logger, string runId, ReconciliationStatus status, int succeeded, int accounts);

        [LoggerMessage(EventId = 9203, Level = LogLevel.Warning, Message = "Reconciliation run {RunId} skipped account {WabaId}: run {HeldBy} holds it")]
        public static partial void Skipped(ILogger logger, string runId, string wabaId, string heldBy);

        [LoggerMessage(EventId = 9204, Level = LogLevel.Error, Message = "Reconciliation run {RunId} failed for account {WabaId}; it carries on with the others")]
        public static partial void AccountFailed(ILogger logger, Exception exception, string runId, string wabaId);

        [LoggerMessage(EventId = 9205, Level = LogLevel.Error, Message = "Reconciliation run {RunId} stopped; it is saved as failed")]
        public static partial void RunFailed(ILogger logger, Exception exception, string runId);

        [LoggerMessage(EventId = 9206, Level = LogLevel.Warning, Message = "Reconciliation run {RunId} was cancelled; it is saved as failed")]
        public static partial void Cancelled(ILogger logger, string runId);

        [LoggerMessage(EventId = 9207, Level = LogLevel.Warning, Message = "Reconciliation run {RunId} lost its claim on account {WabaId} to run {HeldBy}; the account is stopped")]
        public static partial void ClaimLost(ILogger logger, string runId, string wabaId, string heldBy);

        [LoggerMessage(EventId = 9208, Level = LogLevel.Warning, Message = "Reconciliation run {RunId} could not renew its claim on account {WabaId} or save its progress; trying again")]
        public static partial void HeartbeatFailed(ILogger logger, Exception exception, string runId, string wabaId);

        [LoggerMessage(EventId = 9209, Level = LogLevel.Error, Message = "Reconciliation run {RunId} could not release account {WabaId}; the claim expires by itself")]
        public static partial void ReleaseFailed(ILogger logger, Exception exception, string runId, string wabaId);
    }
}
