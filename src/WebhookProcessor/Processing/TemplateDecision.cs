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
        var planned = AlertPlanner.Plan(e, catalog.Applied && !AlreadyShown(current, e), owners, alerts);
        return new EventDecision(catalog.Next, catalog.Applied, OutboxItems.From(planned, e.TraceParent));
    }

    /// <summary>
    /// Whether the catalog already shows what the event says, so its owner has been told (or, for a template
    /// found at bootstrap, had nothing to be told): the same status again, the category it already has with
    /// nothing pending, the same pending target, the same quality. Such an event still updates times and
    /// history, but alerts nobody. This is what keeps a webhook that arrives after a reconciliation applied
    /// its change (or Meta sending a notice twice) from alerting a second time.
    /// </summary>
    public static bool AlreadyShown(TemplateRecord? current, TemplateEvent e) => current is not null && e.Kind switch
    {
        EventKind.Status => e.Event is not null && string.Equals(current.LastStatusEvent, e.Event, StringComparison.OrdinalIgnoreCase),
        EventKind.CategoryChangePending => e.NewCategory is not null && string.Equals(current.PendingCategoryChange?.To, e.NewCategory, StringComparison.OrdinalIgnoreCase),
        EventKind.CategoryChanged => current.PendingCategoryChange is null && e.NewCategory is not null
            && string.Equals(current.Category, e.NewCategory, StringComparison.OrdinalIgnoreCase),
        EventKind.Quality => e.NewQualityScore is not null && string.Equals(current.QualityScore, e.NewQualityScore, StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>
    /// Whether the event could cause an alert, before the catalog says whether it applies: a batch where
    /// none can skips loading the owners.
    /// </summary>
    public static bool MayAlert(TemplateEvent e, NotificationOptions alerts) => AlertPlanner.MayWant(e, alerts);
}
