namespace WebhookProcessor.Notifications;

public sealed record NotificationStats(int Pending, int Failed, int Unrouted);
