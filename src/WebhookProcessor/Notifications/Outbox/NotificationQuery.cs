namespace WebhookProcessor.Notifications;

public sealed record NotificationQuery(long? TemplateId = null, string? Status = null, string? Kind = null, string? Channel = null, int Limit = 50, string? Cursor = null);
