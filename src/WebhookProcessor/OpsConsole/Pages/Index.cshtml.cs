using Microsoft.Extensions.Options;
using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;
using WebhookProcessor.Queue;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.OpsConsole.Pages;

/// <summary>
/// The overview (counts, upcoming changes, recent rejections, failures, queue, a 30-day chart), read from
/// the same stores the ops API and <c>/healthz</c> read, so the page and the API cannot disagree.
/// </summary>
public sealed class IndexModel(
    ITemplateStore templates,
    INotificationStore notifications,
    IQueueMonitor queue,
    IOptions<ReconciliationOptions> reconciliation,
    TimeProvider clock) : ConsolePageModel
{
    public const int UpcomingDays = 7;
    public const int RecentDays = 7;
    public const int ChartDays = 30;

    /// <summary>The status events the overview calls out (see <see cref="Recent"/>).</summary>
    public static readonly string[] NotableStatusEvents = ["REJECTED", "PAUSED", "DISABLED"];

    /// <summary>More than this many notable events in a week is shown as the newest ones and a link to the rest.</summary>
    private const int RecentLimit = 50;

    public DateTimeOffset Now { get; private set; }

    public int TemplateCount { get; private set; }

    /// <summary>Templates per status (null: no status event seen yet), most first.</summary>
    public IReadOnlyList<KeyValuePair<string?, int>> ByStatus { get; private set; } = [];

    public IReadOnlyList<KeyValuePair<string?, int>> ByCategory { get; private set; } = [];

    /// <summary>Pending changes due within <see cref="UpcomingDays"/> days or already due, soonest first.</summary>
    public IReadOnlyList<TemplateRecord> Upcoming { get; private set; } = [];

    /// <summary>Pending changes nobody gave a date for.</summary>
    public IReadOnlyList<TemplateRecord> DateUnknown { get; private set; } = [];

    public IReadOnlyList<TemplateEvent> Recent { get; private set; } = [];

    public bool RecentTruncated { get; private set; }

    public NotificationStats Alerts { get; private set; } = new(0, 0, 0);

    public QueueStats Queue { get; private set; } = new(0, null, 0);

    public EventChart Chart { get; private set; } = null!;

    public bool IsOverdue(PendingCategoryChange pending) => PendingChanges.IsOverdue(pending, Now, reconciliation.Value.OverdueGrace);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = clock.GetUtcNow();
        await ReadCatalogAsync(cancellationToken);
        await ReadRecentAsync(cancellationToken);
        Alerts = await notifications.GetStatsAsync(cancellationToken);
        Queue = await queue.GetStatsAsync(cancellationToken);

        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var from = new DateTimeOffset(today.AddDays(1 - ChartDays).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var counts = await templates.CountEventsByDayAsync(from, from.AddDays(ChartDays), cancellationToken);
        Chart = EventChart.Build(counts, today, ChartDays);
    }

    /// <summary>"in 3 days", "in 5 hours", "in 12 minutes" (rounded down, at least a minute) in the viewer's language.</summary>
    public string TimeLeft(DateTimeOffset at) => Span(at - Now, "in 1 day", "in {0} days", "in 1 hour", "in {0} hours", "in 1 minute", "in {0} minutes");

    /// <summary>"3 days", "5 hours", "12 minutes" (rounded down, at least a minute).</summary>
    public string Duration(TimeSpan span) => Span(span, "1 day", "{0} days", "1 hour", "{0} hours", "1 minute", "{0} minutes");

    private string Span(TimeSpan span, string day, string days, string hour, string hours, string minute, string minutes)
    {
        var (count, one, many) = span.TotalDays >= 1 ? ((long)span.TotalDays, day, days)
            : span.TotalHours >= 1 ? ((long)span.TotalHours, hour, hours)
            : (Math.Max(1, (long)span.TotalMinutes), minute, minutes);
        return count == 1 ? T[one] : string.Format(System.Globalization.CultureInfo.InvariantCulture, T[many], CountText.Of(count));
    }

    /// <summary>One pass over the catalog gives both counts and the pending changes (fine for thousands of templates).</summary>
    private async Task ReadCatalogAsync(CancellationToken cancellationToken)
    {
        var byStatus = new Dictionary<string, int>(StringComparer.Ordinal);
        var byCategory = new Dictionary<string, int>(StringComparer.Ordinal);
        var upcoming = new List<TemplateRecord>();
        var unknown = new List<TemplateRecord>();
        var horizon = Now.AddDays(UpcomingDays);
        string? cursor = null;
        do
        {
            var page = await templates.QueryTemplatesAsync(new TemplateQuery(Limit: 500, Cursor: cursor), cancellationToken);
            foreach (var template in page.Items)
            {
                TemplateCount++;
                // An empty key stands for "none yet": dictionaries take no null key.
                byStatus[template.Status ?? ""] = byStatus.GetValueOrDefault(template.Status ?? "") + 1;
                byCategory[template.Category ?? ""] = byCategory.GetValueOrDefault(template.Category ?? "") + 1;
                if (template.PendingCategoryChange is { } pending)
                {
                    if (pending.EffectiveAt is not { } at)
                    {
                        unknown.Add(template);
                    }
                    else if (at <= horizon)
                    {
                        upcoming.Add(template);
                    }
                }
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        ByStatus = Ordered(byStatus);
        ByCategory = Ordered(byCategory);
        Upcoming = upcoming.OrderBy(t => t.PendingCategoryChange!.EffectiveAt).ThenBy(t => t.TemplateId).ToList();
        DateUnknown = unknown.OrderBy(t => t.PendingCategoryChange!.AnnouncedAt).ThenBy(t => t.TemplateId).ToList();
    }

    private static List<KeyValuePair<string?, int>> Ordered(Dictionary<string, int> counts) =>
        counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new KeyValuePair<string?, int>(c.Key.Length == 0 ? null : c.Key, c.Value))
            .ToList();

    private async Task ReadRecentAsync(CancellationToken cancellationToken)
    {
        var recent = new List<TemplateEvent>();
        foreach (var statusEvent in NotableStatusEvents)
        {
            var page = await templates.QueryEventsAsync(
                new EventQuery(Kind: EventKind.Status, Event: statusEvent, From: Now.AddDays(-RecentDays), Limit: RecentLimit),
                cancellationToken);
            recent.AddRange(page.Items.Select(i => i.Event));
            RecentTruncated |= page.NextCursor is not null;
        }

        var newest = recent.OrderByDescending(e => e.OccurredAt).ThenBy(e => e.EventId, StringComparer.Ordinal).ToList();
        RecentTruncated |= newest.Count > RecentLimit;
        Recent = newest.Take(RecentLimit).ToList();
    }
}
