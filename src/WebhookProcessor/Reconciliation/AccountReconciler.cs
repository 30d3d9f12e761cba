using Microsoft.Extensions.Options;
using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;
using WebhookProcessor.Processing;

namespace WebhookProcessor.Reconciliation;

/// <summary>
/// Reconciles one account: reads what the catalog holds for it, lists its templates from the Graph API,
/// turns each difference into events with <see cref="ReconciliationRules"/> and lets the catalog store
/// commit them through <see cref="TemplateDecision"/>, the same decision, history and outbox as a webhook.
/// A listing that completed also finds the templates that were deleted. Graph API failures end the
/// account as failed (what was applied before stays applied: each difference stands on its own).
/// </summary>
public sealed partial class AccountReconciler(
    GraphApiClient graph,
    GraphCallBudget budget,
    ITemplateStore catalog,
    INotificationStore notifications,
    IOptions<NotificationOptions> alertOptions,
    IOptions<ReconciliationOptions> options,
    AlertSignals alertSignals,
    TimeProvider clock,
    ILogger<AccountReconciler> logger,
    Telemetry.WebhookMetrics? metrics = null) : IAccountReconciler
{
    /// <summary>The span of one account's reconciliation; the alerts its differences plan continue its trace.</summary>
    public const string Span = "reconcile account";

    private const int CatalogPageSize = 500;

    private readonly NotificationOptions _alerts = alertOptions.Value;
    private readonly ReconciliationOptions _options = options.Value;

    public async Task<AccountReconciliation> ReconcileAsync(string wabaId, string runId, bool bootstrap, Action<AccountReconciliation>? progress, CancellationToken cancellationToken)
    {
        using var span = Telemetry.WebhookActivities.Source.StartActivity(Span);
        span?.SetTag(Telemetry.TelemetryTags.WabaId, wabaId);
        span?.SetTag(Telemetry.TelemetryTags.ReconciliationRun, runId);
        var tally = new Tally(wabaId, clock.GetUtcNow(), bootstrap, budget.Total(wabaId));
        var known = await LoadCatalogAsync(wabaId, cancellationToken);
        var seen = new HashSet<long>();
        var batch = new Batch();
        var now = clock.GetUtcNow();
        try
        {
            await foreach (var page in graph.ListTemplatePagesAsync(wabaId, cancellationToken))
            {
                var context = new ReconciliationContext(wabaId, runId, page.RequestedAt, bootstrap);
                foreach (var template in page.Templates)
                {
                    // Meta's listing can repeat a template across pages while it changes; the first answer counts.
                    if (!seen.Add(template.Id))
                    {
                        continue;
                    }

                    tally.Seen++;
                    var current = known.GetValueOrDefault(template.Id);
                    batch.Add(ReconciliationRules.Compare(current, template, context), known: current is not null);
                    if (current?.PendingCategoryChange is { } pending
                        && string.Equals(ReconciliationRules.PendingTarget(template), pending.To, StringComparison.OrdinalIgnoreCase)
                        && PendingChanges.IsOverdue(pending, now, _options.OverdueGrace))
                    {
                        tally.Overdue++;
                    }
                }

                if (batch.Count >= _options.BatchSize)
                {
                    await FlushAsync(wabaId, batch, tally, cancellationToken);
                    progress?.Invoke(tally.Snapshot(AccountRunStatus.Running, null, budget.Total(wabaId), null));
                }
            }

            // Only a listing that reached its end says a template is gone.
            var deletedContext = new ReconciliationContext(wabaId, runId, clock.GetUtcNow(), bootstrap);
            foreach (var (id, record) in known)
            {
                if (!seen.Contains(id) && ReconciliationRules.Deleted(record, deletedContext) is { } deleted)
                {
                    batch.Add([deleted], known: true);
                }
            }

            await FlushAsync(wabaId, batch, tally, cancellationToken);
        }
        catch (GraphApiException ex)
        {
            await FlushAsync(wabaId, batch, tally, cancellationToken);
            Log.AccountFailed(logger, wabaId, runId, ex.Kind, ex.Message);
            return tally.Snapshot(AccountRunStatus.Failed, clock.GetUtcNow(), budget.Total(wabaId), ex.Message);
        }

        var result = tally.Snapshot(AccountRunStatus.Succeeded, clock.GetUtcNow(), budget.Total(wabaId), null);
        Log.AccountReconciled(logger, wabaId, runId, result.TemplatesSeen, result.Added, result.Changed, result.PendingChangesFound, result.Deleted, result.GraphCalls);
        return result;
    }

    public async Task<AccountReconciliation> ReconcileOverdueAsync(string wabaId, string runId, CancellationToken cancellationToken)
    {
        var tally = new Tally(wabaId, clock.GetUtcNow(), bootstrap: false, budget.Total(wabaId));
        var now = clock.GetUtcNow();
        var overdue = await PendingChanges.ListOverdueAsync(catalog, wabaId, now, _options.OverdueGrace, cancellationToken);
        var batch = new Batch();
        string? error = null;
        foreach (var current in overdue)
        {
            GraphTemplate template;
            var fetchedAt = clock.GetUtcNow();
            try
            {
                template = await graph.GetTemplateAsync(wabaId, current.TemplateId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
            }
            catch (GraphApiException ex) when (ex.Kind is not (GraphApiErrorKind.Authentication or GraphApiErrorKind.Throttled))
            {
                // One template Meta will not show (deleted meanwhile, say) does not stop the others.
                error ??= ex.Message;
                Log.OverdueFetchFailed(logger, wabaId, current.TemplateId, ex.Message);
                continue;
            }
            catch (GraphApiException ex)
            {
                await FlushAsync(wabaId, batch, tally, cancellationToken);
                Log.AccountFailed(logger, wabaId, runId, ex.Kind, ex.Message);
                return tally.Snapshot(AccountRunStatus.Failed, clock.GetUtcNow(), budget.Total(wabaId), ex.Message);
            }

            tally.Seen++;
            batch.Add(ReconciliationRules.Compare(current, template, new ReconciliationContext(wabaId, runId, fetchedAt, Bootstrap: false)), known: true);
            if (string.Equals(ReconciliationRules.PendingTarget(template), current.PendingCategoryChange!.To, StringComparison.OrdinalIgnoreCase))
            {
                // Meta still shows the change as pending: the template stays pending, and overdue for ops to see.
                tally.Overdue++;
                Log.StillOverdue(logger, wabaId, current.TemplateId, current.PendingCategoryChange.To, current.PendingCategoryChange.EffectiveAt);
            }
        }

        await FlushAsync(wabaId, batch, tally, cancellationToken);
        return tally.Snapshot(error is null ? AccountRunStatus.Succeeded : AccountRunStatus.Failed, clock.GetUtcNow(), budget.Total(wabaId), error);
    }

    private async Task<Dictionary<long, TemplateRecord>> LoadCatalogAsync(string wabaId, CancellationToken cancellationToken)
    {
        var known = new Dictionary<long, TemplateRecord>();
        string? cursor = null;
        do
        {
            var page = await catalog.QueryTemplatesAsync(
                new TemplateQuery(WabaId: wabaId, Limit: CatalogPageSize, Cursor: cursor),
                cancellationToken);
            foreach (var template in page.Items)
            {
                known[template.TemplateId] = template;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return known;
    }

    /// <summary>Events waiting to be committed, each with whether its template was in the catalog already.</summary>
    private sealed class Batch
    {
        public List<TemplateEvent> Events { get; } = [];

        public List<bool> Known { get; } = [];

        public IReadOnlyList<Owner>? Owners { get; set; }

        public int Count => Events.Count;

        public void Add(IReadOnlyList<TemplateEvent> events, bool known)
        {
            foreach (var e in events)
            {
                Events.Add(e);
                Known.Add(known);
            }
        }
    }

    /// <summary>Commits a batch, loading the owners once per account and only when an event may alert.</summary>
    private async Task FlushAsync(string wabaId, Batch batch, Tally tally, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        if (batch.Owners is null && batch.Events.Any(e => TemplateDecision.MayAlert(e, _alerts)))
        {
            batch.Owners = await notifications.ListOwnersAsync(cancellationToken);
        }

        var owners = batch.Owners ?? [];
        var traceParent = Telemetry.WebhookActivities.TraceParentOf(System.Diagnostics.Activity.Current);
        var results = await catalog.ApplyAsync(
            traceParent is null ? batch.Events : batch.Events.Select(e => e with { TraceParent = traceParent }).ToList(),
            clock.GetUtcNow(),
            (current, e) => TemplateDecision.Decide(current, e, owners, _alerts),
            cancellationToken);
        var alerts = 0;
        for (var i = 0; i < results.Count; i++)
        {
            alerts += results[i].Alerts;
            if (results[i] is { Duplicate: false, CatalogApplied: true })
            {
                tally.Count(batch.Events[i], batch.Known[i]);

                // What a bootstrap finds is the catalog's first fill, not a difference from it.
                if (!(tally.Bootstrap && batch.Events[i].Kind == EventKind.Discovered))
                {
                    metrics?.Drift(batch.Events[i].Kind.ToApiName());
                }
            }
        }

        if (alerts > 0)
        {
            alertSignals.Set();
            Log.AlertsPlanned(logger, wabaId, alerts);
        }

        batch.Events.Clear();
        batch.Known.Clear();
    }

    /// <summary>An account's figures while it is reconciled.</summary>
    private sealed class Tally(string wabaId, DateTimeOffset startedAt, bool bootstrap, long callsBefore)
    {
        public bool Bootstrap => bootstrap;

        private readonly HashSet<long> _changed = [];

        public int Seen { get; set; }

        public int Overdue { get; set; }

        private int Added { get; set; }

        private int Pending { get; set; }

        private int Deleted { get; set; }

        /// <param name="known">Whether the template was in the catalog before the run: a new one's status is part of adding it, not a change.</param>
        public void Count(TemplateEvent e, bool known)
        {
            switch (e.Kind)
            {
                case EventKind.Discovered:
                    // For a known template it only fills in what the catalog never had: neither added nor changed.
                    if (!known)
                    {
                        Added++;
                    }

                    break;
                case EventKind.Deleted:
                    Deleted++;
                    break;
                case EventKind.CategoryChangePending:
                    Pending++;
                    if (known)
                    {
                        _changed.Add(e.TemplateId!.Value);
                    }

                    break;
                default:
                    if (known)
                    {
                        _changed.Add(e.TemplateId!.Value);
                    }

                    break;
            }
        }

        public AccountReconciliation Snapshot(AccountRunStatus status, DateTimeOffset? endedAt, long callsNow, string? error) => new(
            wabaId, status, startedAt, endedAt, Seen, Added, _changed.Count, Pending, Deleted, Overdue, (int)(callsNow - callsBefore), bootstrap, error);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Reconciled account {WabaId} (run {RunId}): {Seen} templates seen, {Added} added, {Changed} changed, {Pending} pending changes found, {Deleted} deleted, {Calls} Graph API calls")]
        public static partial void AccountReconciled(ILogger logger, string wabaId, string runId, int seen, int added, int changed, int pending, int deleted, int calls);

        [LoggerMessage(EventId = 7102, Level = LogLevel.Error, Message = "Reconciling account {WabaId} failed (run {RunId}, {Kind}): {Error}")]
        public static partial void AccountFailed(ILogger logger, string wabaId, string runId, GraphApiErrorKind kind, string error);

        [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Could not fetch overdue template {TemplateId} of account {WabaId}: {Error}")]
        public static partial void OverdueFetchFailed(ILogger logger, string wabaId, long templateId, string error);

        [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "Template {TemplateId} of account {WabaId} is still pending a change to {To} that was due {EffectiveAt}")]
        public static partial void StillOverdue(ILogger logger, string wabaId, long templateId, string to, DateTimeOffset? effectiveAt);

        [LoggerMessage(EventId = 7105, Level = LogLevel.Information, Message = "Reconciling account {WabaId} planned {Alerts} alert(s)")]
        public static partial void AlertsPlanned(ILogger logger, string wabaId, int alerts);
    }
}
