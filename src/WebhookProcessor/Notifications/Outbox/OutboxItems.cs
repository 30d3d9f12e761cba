using WebhookProcessor.Catalog;

namespace WebhookProcessor.Notifications;

/// <summary>
/// Planned alerts as the catalog's outbox envelopes: what the outbox row holds, decided here, so the
/// stores write it without knowing what a channel or a status is.
/// </summary>
public static class OutboxItems
{
    /// <summary>Alerts of one event share their facts: they are serialized once for all recipients.</summary>
    /// <param name="traceParent">The trace the alerts' deliveries continue (<see cref="TemplateEvent.TraceParent"/>).</param>
    public static IReadOnlyList<OutboxItem> From(IReadOnlyList<PlannedAlert> alerts, string? traceParent = null)
    {
        if (alerts.Count == 0)
        {
            return [];
        }

        var items = new OutboxItem[alerts.Count];
        string? factsJson = null;
        AlertFacts? serialized = null;
        for (var i = 0; i < alerts.Count; i++)
        {
            if (!ReferenceEquals(alerts[i].Facts, serialized))
            {
                serialized = alerts[i].Facts;
                factsJson = NotificationRows.SerializeFacts(serialized);
            }

            items[i] = From(alerts[i], factsJson!) with { TraceParent = traceParent };
        }

        return items;
    }

    public static OutboxItem From(PlannedAlert alert, string factsJson) => new(
        alert.NotificationId,
        alert.Facts.EventId,
        alert.Facts.Kind,
        alert.Facts.WabaId,
        alert.Facts.TemplateId,
        alert.Channel is { } channel ? NotificationRows.ChannelName(channel) : null,
        alert.Recipient,
        alert.OwnerId,
        alert.OwnerName,
        alert.Language,
        factsJson,
        // Nobody to tell: the item waits, visible to ops, until someone routes it by hand.
        alert.Channel is null ? NotificationStatus.Unrouted : NotificationStatus.Pending,
        DueAtCommit: alert.Channel is not null);
}
