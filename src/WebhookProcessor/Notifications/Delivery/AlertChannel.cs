namespace WebhookProcessor.Notifications;

public enum AlertChannel
{
    Email,
    Teams,
}
