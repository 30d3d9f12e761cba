using System.Globalization;
using Microsoft.Extensions.Options;
using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.OpsConsole.Pages.Templates;

/// <summary>
/// One template: its catalog state, its owner and how it matched, its history newest first (the raw
/// change of one event on request) and the alerts it caused, read from the same stores as the ops API.
/// </summary>
public sealed class DetailModel(ITemplateStore store, INotificationStore notifications, IOptions<ReconciliationOptions> reconciliation, TimeProvider clock) : ConsolePageModel
{
    public const int EventsPerPage = 25;
    public const int AlertsShown = 50;

    [Microsoft.AspNetCore.Mvc.FromRoute(Name = "id")] public string? Id { get; set; }
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "cursor")] public string? Cursor { get; set; }
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "raw")] public string? RawEventId { get; set; }

    public TemplateRecord? Template { get; private set; }
    public ResolvedOwner? Owner { get; private set; }
    public bool Overdue { get; private set; }
    public IReadOnlyList<StoredEvent> Events { get; private set; } = [];
    public string? NextCursor { get; private set; }
    public bool BadCursor { get; private set; }
    public string? Raw { get; private set; }
    public bool RawMissing { get; private set; }
    public IReadOnlyList<Notification> Alerts { get; private set; } = [];
    public bool MoreAlerts { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (!long.TryParse(Id, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0
            || await store.GetTemplateAsync(id, cancellationToken) is not { } template)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        Template = template;
        Owner = OwnerRouting.Resolve(await notifications.ListOwnersAsync(cancellationToken), template.WabaId, template.Name);
        Overdue = template.PendingCategoryChange is { } p && PendingChanges.IsOverdue(p, clock.GetUtcNow(), reconciliation.Value.OverdueGrace);

        try
        {
            var page = await store.QueryEventsAsync(new EventQuery(TemplateId: id, Limit: EventsPerPage, Cursor: string.IsNullOrWhiteSpace(Cursor) ? null : Cursor), cancellationToken);
            Events = page.Items;
            NextCursor = page.NextCursor;
        }
        catch (FormatException)
        {
            BadCursor = true;
        }

        if (!string.IsNullOrWhiteSpace(RawEventId))
        {
            Raw = await store.GetEventRawAsync(RawEventId, cancellationToken);
            RawMissing = Raw is null;
        }

        var alerts = await notifications.QueryAsync(new NotificationQuery(TemplateId: id, Limit: AlertsShown), cancellationToken);
        Alerts = alerts.Items;
        MoreAlerts = alerts.NextCursor is not null;
    }

    /// <summary>A link to this page keeping the timeline's page, with the raw change of one event shown.</summary>
    public string RawLink(string eventId) => QueryString.Create(new Dictionary<string, string?>
    {
        ["cursor"] = string.IsNullOrWhiteSpace(Cursor) ? null : Cursor,
        ["raw"] = eventId,
    }.Where(p => p.Value is not null)).ToUriComponent() + "#raw";

    /// <summary>
    /// A count with group separators. Invariant on purpose: the service may run in globalization-invariant
    /// mode, where the viewer's culture (as <see cref="ConsolePageModel.Number"/> asks for) cannot be loaded.
    /// </summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string? BeforeAfter(TemplateEvent e) => e.Kind switch
    {
        EventKind.CategoryChangePending or EventKind.CategoryChanged => Arrow(e.PreviousCategory ?? e.Category, e.NewCategory ?? e.CorrectCategory),
        EventKind.Quality => Arrow(e.PreviousQualityScore, e.NewQualityScore),
        EventKind.CorrectCategoryDetected => Arrow(e.Category, e.CorrectCategory),
        _ => null,
    };

    private static string? Arrow(string? before, string? after) =>
        before is null && after is null ? null : $"{before ?? "?"} → {after ?? "?"}";
}
