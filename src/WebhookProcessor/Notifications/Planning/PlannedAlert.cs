namespace WebhookProcessor.Notifications;

/// <summary>One alert to write to the outbox: one recipient on one channel, or an unrouted marker.</summary>
public sealed record PlannedAlert(
    string NotificationId,
    AlertFacts Facts,
    AlertChannel? Channel,
    string? Recipient,
    string? OwnerId,
    string? OwnerName,
    string Language);
