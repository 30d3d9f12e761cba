using System.Diagnostics;
using Microsoft.Extensions.Options;
using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;
using WebhookProcessor.Queue;
using WebhookProcessor.Telemetry;

namespace WebhookProcessor.Processing;

/// <summary>
/// Applies queued changes to catalog and history. Used by the embedded worker and by the Azure
/// queue trigger alike. Malformed changes are reported, not thrown; a thrown exception means the
/// store failed and the whole batch may be retried safely, because history is keyed by event id.
/// The steps are all here: parse, load the owners (once per batch, only when an event may alert),
/// let the store commit what <see cref="TemplateDecision"/> decides, then wake the alert dispatcher.
/// Each change gets a consumer span continuing the trace it was queued under, with a child span for
/// its catalog commit; the alerts it plans carry the commit span's context to their deliveries.
/// </summary>
public sealed class TemplateEventProcessor(
    ITemplateStore store,
    INotificationStore notifications,
    IOptions<NotificationOptions> alertOptions,
    AlertSignals alertSignals,
    TimeProvider clock,
    WebhookMetrics? metrics = null,
    IOptions<TelemetryOptions>? telemetry = null)
{
    public const string ProcessSpan = "process webhook-changes";
    public const string CommitSpan = "catalog commit";

    private readonly NotificationOptions _alerts = alertOptions.Value;

    // On Functions the host records the trigger's invocation as the request; a consumer span here would be a second one.
    private readonly ActivityKind _processKind = telemetry?.Value.HostRecordsInvocations == true ? ActivityKind.Internal : ActivityKind.Consumer;

    public async Task<IReadOnlyList<ProcessOutcome>> ProcessAsync(IReadOnlyList<ChangeMessage> messages, CancellationToken cancellationToken = default)
    {
        var spans = StartSpans(messages, _processKind);
        try
        {
            var outcomes = await ProcessAsync(messages, spans, cancellationToken);
            Finish(outcomes, spans);
            return outcomes;
        }
        catch (Exception ex)
        {
            foreach (var span in spans ?? [])
            {
                WebhookActivities.Fail(span, ex);
            }

            throw;
        }
        finally
        {
            foreach (var span in spans ?? [])
            {
                span?.Dispose();
            }
        }
    }

    private async Task<IReadOnlyList<ProcessOutcome>> ProcessAsync(IReadOnlyList<ChangeMessage> messages, Activity?[]? spans, CancellationToken cancellationToken)
    {
        var outcomes = new ProcessOutcome?[messages.Count];
        var parsed = new List<(int Index, TemplateEvent Event)>(messages.Count);
        var mayAlert = false;
        for (var i = 0; i < messages.Count; i++)
        {
            try
            {
                var e = TemplateEventParser.Parse(messages[i]);
                Describe(spans?[i], e);
                parsed.Add((i, e));
                mayAlert |= TemplateDecision.MayAlert(e, _alerts);
            }
            catch (MalformedChangeException ex)
            {
                outcomes[i] = new ProcessOutcome(messages[i], ProcessResult.Malformed, ex.Message);
            }
        }

        if (parsed.Count > 0)
        {
            // Owners are read before the commit, once for the whole batch; an owner saved meanwhile is
            // routed from the next batch on, as a change of owners always is.
            IReadOnlyList<Owner> owners = mayAlert ? await notifications.ListOwnersAsync(cancellationToken) : [];
            var commits = StartCommitSpans(parsed, spans);
            IReadOnlyList<ApplyResult> results;
            var previous = Activity.Current;
            try
            {
                // One change alone: the store's own calls (Table Storage requests) nest under its commit.
                if (commits is [{ } only])
                {
                    Activity.Current = only;
                }

                var events = commits is null
                    ? parsed.Select(p => p.Event).ToList()
                    : parsed.Select((p, j) => p.Event with { TraceParent = WebhookActivities.TraceParentOf(commits[j]) ?? p.Event.TraceParent }).ToList();
                results = await store.ApplyAsync(
                    events,
                    clock.GetUtcNow(),
                    (current, e) => TemplateDecision.Decide(current, e, owners, _alerts),
                    cancellationToken);
            }
            catch (Exception ex)
            {
                foreach (var commit in commits ?? [])
                {
                    WebhookActivities.Fail(commit, ex);
                }

                throw;
            }
            finally
            {
                Activity.Current = previous;
                foreach (var commit in commits ?? [])
                {
                    commit?.Dispose();
                }
            }

            RecordCommitted(parsed, results, commits);
            if (results.Any(r => r.Alerts > 0))
            {
                alertSignals.Set();
            }

            for (var j = 0; j < parsed.Count; j++)
            {
                var result = results[j] switch
                {
                    { Duplicate: true } => ProcessResult.Duplicate,
                    { CatalogApplied: true } => ProcessResult.Applied,
                    _ => ProcessResult.Stale,
                };
                outcomes[parsed[j].Index] = new ProcessOutcome(messages[parsed[j].Index], result);
            }
        }

        return outcomes.Select(o => o!).ToList();
    }

    /// <summary>One consumer span per change, continuing the trace it was queued under; null when nobody listens.</summary>
    private static Activity?[]? StartSpans(IReadOnlyList<ChangeMessage> messages, ActivityKind kind)
    {
        if (!WebhookActivities.Source.HasListeners())
        {
            return null;
        }

        var previous = Activity.Current;
        var spans = new Activity?[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var span = WebhookActivities.StartFrom(ProcessSpan, kind, message.TraceParent);
            if (span is { IsAllDataRequested: true })
            {
                span.SetTag(TelemetryTags.MessagingOperationType, "process");
                span.SetTag(TelemetryTags.EventId, message.EventId);
                span.SetTag(TelemetryTags.WabaId, message.WabaId);
                span.SetTag(TelemetryTags.Field, message.Field);
            }

            spans[i] = span;

            // Siblings, not a chain: each starts from the caller's span or its own stored context.
            Activity.Current = previous;
        }

        return spans;
    }

    private static void Describe(Activity? span, TemplateEvent e)
    {
        if (span is not { IsAllDataRequested: true })
        {
            return;
        }

        span.SetTag(TelemetryTags.EventKind, e.Kind.ToApiName());
        span.SetTag(TelemetryTags.EventSource, e.Source.ToApiName());
        if (e.TemplateId is { } templateId)
        {
            span.SetTag(TelemetryTags.TemplateId, templateId);
        }

        if (e.Event is { } metaEvent)
        {
            span.SetTag(TelemetryTags.TemplateEvent, metaEvent);
        }
    }

    private static Activity?[]? StartCommitSpans(List<(int Index, TemplateEvent Event)> parsed, Activity?[]? spans)
    {
        if (spans is null)
        {
            return null;
        }

        var previous = Activity.Current;
        var commits = new Activity?[parsed.Count];
        for (var j = 0; j < parsed.Count; j++)
        {
            var parent = spans[parsed[j].Index];
            var e = parsed[j].Event;
            var commit = parent is null
                ? null
                : WebhookActivities.Source.StartActivity(CommitSpan, ActivityKind.Internal, parent.Context);
            if (commit is { IsAllDataRequested: true })
            {
                commit.SetTag(TelemetryTags.EventId, e.EventId);
                commit.SetTag(TelemetryTags.EventKind, e.Kind.ToApiName());
                if (e.TemplateId is { } templateId)
                {
                    commit.SetTag(TelemetryTags.TemplateId, templateId);
                }
            }

            commits[j] = commit;
            Activity.Current = previous;
        }

        return commits;
    }

    private void RecordCommitted(List<(int Index, TemplateEvent Event)> parsed, IReadOnlyList<ApplyResult> results, Activity?[]? commits)
    {
        var committedAt = clock.GetUtcNow();
        for (var j = 0; j < parsed.Count; j++)
        {
            var e = parsed[j].Event;
            var result = Name(results[j] switch
            {
                { Duplicate: true } => ProcessResult.Duplicate,
                { CatalogApplied: true } => ProcessResult.Applied,
                _ => ProcessResult.Stale,
            });
            commits?[j]?.SetTag(TelemetryTags.EventResult, result);
            commits?[j]?.SetTag(TelemetryTags.ProcessingLag, Math.Max(0, (committedAt - e.ReceivedAt).TotalSeconds));
            if (metrics is { EventsEnabled: true })
            {
                metrics.EventProcessed(e.Kind.ToApiName(), result, e.Source.ToApiName());
                metrics.ProcessingLag(committedAt - e.ReceivedAt, e.Source.ToApiName());
            }
        }
    }

    private void Finish(IReadOnlyList<ProcessOutcome> outcomes, Activity?[]? spans)
    {
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (outcomes[i].Result != ProcessResult.Malformed)
            {
                spans?[i]?.SetTag(TelemetryTags.EventResult, Name(outcomes[i].Result));
                continue;
            }

            WebhookActivities.Fail(spans?[i], "malformed");
            spans?[i]?.SetTag(TelemetryTags.EventResult, Name(ProcessResult.Malformed));
            if (metrics is { EventsEnabled: true })
            {
                metrics.EventProcessed("unknown", Name(ProcessResult.Malformed), EventSource.Webhook.ToApiName());
            }
        }
    }

    /// <summary>The result as metrics and spans name it.</summary>
    public static string Name(ProcessResult result) => result switch
    {
        ProcessResult.Applied => "applied",
        ProcessResult.Stale => "stale",
        ProcessResult.Duplicate => "duplicate",
        ProcessResult.Malformed => "malformed",
        _ => result.ToString().ToLowerInvariant(),
    };
}
