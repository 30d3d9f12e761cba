namespace WebhookProcessor.Notifications;

public sealed record NotificationDto(
    string NotificationId,
    string Kind,
    string Status,
    string? Channel,
    string? Recipient,
    string? OwnerId,
    string Language,
    string EventId,
    string WabaId,
    string? TemplateId,
    string? TemplateName,
    string? TemplateLanguage,
    int Attempts,
    string? LastError,
    DateTime CreatedAt,
    DateTime? NextAttemptAt,
    DateTime? SentAt)
{
    public static NotificationDto From(Notification n) => new(
        n.Id, n.Facts.Kind, n.Status, n.Channel is { } c ? NotificationRows.ChannelName(c) : null,
        n.Channel == AlertChannel.Teams && n.Recipient is { } url ? WebhookUrls.Redact(url) : n.Recipient,
        n.OwnerId, n.Language, n.Facts.EventId, n.Facts.WabaId,
        n.Facts.TemplateId?.ToString(System.Globalization.CultureInfo.InvariantCulture), n.Facts.TemplateName, n.Facts.Language,
        n.Attempts, n.LastError, n.CreatedAt.UtcDateTime,
        n.Status is NotificationStatus.Pending or NotificationStatus.Sending ? n.NextAttemptAt?.UtcDateTime : null,
        n.SentAt?.UtcDateTime);
}
