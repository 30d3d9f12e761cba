using System.Globalization;
using Microsoft.Extensions.Options;
using WebhookProcessor.Catalog;

namespace WebhookProcessor.Notifications;

/// <summary>
/// Optional (<c>Notifications:Digest:Enabled</c>): once a day, each owner gets one list of their
/// templates' announced category changes that have not happened yet. A digest's id is the owner and
/// the day, so a restart on the same day does not send it twice.
/// </summary>
public sealed partial class DigestService(
    ITemplateStore catalog,
    INotificationStore store,
    AlertSignals signals,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<DigestService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var digest = options.Value.Digest;
        if (!digest.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero) + digest.TimeOfDayUtc;
            if (now >= today)
            {
                try
                {
                    var added = await PlanAsync(DateOnly.FromDateTime(now.UtcDateTime), stoppingToken);
                    if (added > 0)
                    {
                        signals.Set();
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.DigestFailed(logger, ex);
                    await Task.Delay(TimeSpan.FromMinutes(5), clock, stoppingToken);
                    continue;
                }

                today = today.AddDays(1);
            }

            await Task.Delay(today - clock.GetUtcNow(), clock, stoppingToken);
        }
    }

    /// <summary>Writes the day's digests to the outbox; returns how many alerts were new.</summary>
    internal async Task<int> PlanAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var owners = await store.ListOwnersAsync(cancellationToken);
        var perOwner = new Dictionary<string, List<DigestItem>>();
        string? cursor = null;
        do
        {
            var page = await catalog.QueryTemplatesAsync(new TemplateQuery(PendingChange: true, Limit: 500, Cursor: cursor), cancellationToken);
            foreach (var t in page.Items)
            {
                if (t.PendingCategoryChange is not { } pending || OwnerRouting.Resolve(owners, t.WabaId, t.Name) is not { } resolved)
                {
                    continue;
                }

                if (!perOwner.TryGetValue(resolved.Owner.Id, out var items))
                {
                    perOwner[resolved.Owner.Id] = items = [];
                }

                items.Add(new DigestItem(t.WabaId, t.TemplateId, t.Name, t.Language, pending.From, pending.To, pending.EffectiveAt));
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        var now = clock.GetUtcNow();
        var alerts = new List<PlannedAlert>();
        foreach (var owner in owners)
        {
            if (!perOwner.TryGetValue(owner.Id, out var items))
            {
                continue;
            }

            var facts = new AlertFacts
            {
                Kind = AlertKinds.UpcomingDigest,
                EventId = $"digest:{owner.Id}:{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
                WabaId = owner.Match.WabaId ?? string.Join(",", items.Select(i => i.WabaId).Distinct().Order(StringComparer.Ordinal)),
                OccurredAt = now,
                Digest = items.OrderBy(i => i.EffectiveAt ?? DateTimeOffset.MaxValue).ThenBy(i => i.TemplateId).ToList(),
            };
            alerts.AddRange(AlertPlanner.ForOwner(facts, owner));
        }

        return alerts.Count == 0 ? 0 : await store.AddAsync(alerts, now, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6201, Level = LogLevel.Error, Message = "The daily digest could not be prepared; trying again in 5 minutes")]
        public static partial void DigestFailed(ILogger logger, Exception exception);
    }
}
