using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.Processing;

/// <summary>
/// The one decision about an event: given what the catalog holds for its template, the new record,
/// whether the event applied or was stale, and the alerts to write for which owners. Pure: no I/O, no
/// clock. Both template stores run it inside their commit through <see cref="ITemplateStore.ApplyAsync"/>,
/// and anything else that changes the catalog (a reconciliation with Meta's API) goes through it too.
/// </summary>
public static class TemplateDecision
{
    /// <param name="owners">All owners; only read when the event wants an alert (see <see cref="MayAlert"/>).</param>
    /// <param name="alerts">The per-kind alert switches.</param>
    public static EventDecision Decide(TemplateRecord? current, TemplateEvent e, IReadOnlyList<Owner> owners, NotificationOptions alerts)
    {
        var catalog = CatalogRules.Apply(current, e);
        var planned = AlertPlanner.Plan(e, catalog.Applied, owners, alerts);
        return new EventDecision(catalog.Next, catalog.Applied, OutboxItems.From(planned));
    }

    /// <summary>
    /// Whether the event could cause an alert, before the catalog says whether it applies: a batch where
    /// none can skips loading the owners.
    /// </summary>
    public static bool MayAlert(TemplateEvent e, NotificationOptions alerts) => AlertPlanner.MayWant(e, alerts);
}
