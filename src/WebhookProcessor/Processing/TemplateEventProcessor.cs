using Microsoft.Extensions.Options;
using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Processing;

/// <summary>
/// Applies queued changes to catalog and history. Used by the embedded worker and by the Azure
/// queue trigger alike. Malformed changes are reported, not thrown; a thrown exception means the
/// store failed and the whole batch may be retried safely, because history is keyed by event id.
/// The steps are all here: parse, load the owners (once per batch, only when an event may alert),
/// let the store commit what <see cref="TemplateDecision"/> decides, then wake the alert dispatcher.
/// </summary>
public sealed class TemplateEventProcessor(
    ITemplateStore store,
    INotificationStore notifications,
    IOptions<NotificationOptions> alertOptions,
    AlertSignals alertSignals,
    TimeProvider clock)
{
    private readonly NotificationOptions _alerts = alertOptions.Value;

    public async Task<IReadOnlyList<ProcessOutcome>> ProcessAsync(IReadOnlyList<ChangeMessage> messages, CancellationToken cancellationToken = default)
    {
        var outcomes = new ProcessOutcome?[messages.Count];
        var parsed = new List<(int Index, TemplateEvent Event)>(messages.Count);
        var mayAlert = false;
        for (var i = 0; i < messages.Count; i++)
        {
            try
            {
                var e = TemplateEventParser.Parse(messages[i]);
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
            var results = await store.ApplyAsync(
                parsed.Select(p => p.Event).ToList(),
                clock.GetUtcNow(),
                (current, e) => TemplateDecision.Decide(current, e, owners, _alerts),
                cancellationToken);
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
}
