using WebhookProcessor.Notifications;

namespace WebhookProcessor.Ops;

/// <summary>
/// Re-sends one alert. The ops API (<c>POST /api/notifications/{id}/retry</c>) and the console's Retry
/// button both come here, so they cannot disagree about what a retry does.
/// </summary>
public static class AlertRetry
{
    /// <summary>
    /// A failed alert becomes pending again with a fresh set of attempts. An unrouted one goes to the
    /// owner that matches now (say, a default owner added since), as one alert per recipient.
    /// </summary>
    public static async Task<AlertRetryResult> RetryAsync(
        string notificationId, INotificationStore store, AlertSignals signals, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(notificationId, cancellationToken) is not { } notification)
        {
            return new AlertRetryResult(AlertRetryOutcome.NotFound, null, null, []);
        }

        var now = clock.GetUtcNow();
        List<string> ids;
        switch (notification.Status)
        {
            case NotificationStatus.Failed:
                if (!await store.ResendAsync(notificationId, now, cancellationToken))
                {
                    return new AlertRetryResult(AlertRetryOutcome.NotRetryable, notification, "it changed state meanwhile", []);
                }

                ids = [notificationId];
                break;
            case NotificationStatus.Unrouted:
                var resolved = OwnerRouting.Resolve(await store.ListOwnersAsync(cancellationToken), notification.Facts.WabaId, notification.Facts.TemplateName);
                if (resolved is null)
                {
                    return new AlertRetryResult(AlertRetryOutcome.StillNoOwner, notification, null, []);
                }

                var alerts = AlertPlanner.ForOwner(notification.Facts, resolved.Owner);
                await store.AddAsync(alerts, now, cancellationToken);
                await store.MarkReroutedAsync(notificationId, resolved.Owner.Id, now, cancellationToken);
                ids = alerts.Select(a => a.NotificationId).ToList();
                break;
            default:
                return new AlertRetryResult(AlertRetryOutcome.NotRetryable, notification,
                    $"it is {notification.Status}; only failed and unrouted alerts can be re-sent", []);
        }

        signals.Set();
        var items = new List<Notification>();
        foreach (var id in ids)
        {
            if (await store.GetAsync(id, cancellationToken) is { } item)
            {
                items.Add(item);
            }
        }

        return new AlertRetryResult(AlertRetryOutcome.Resent, notification, null, items);
    }
}
