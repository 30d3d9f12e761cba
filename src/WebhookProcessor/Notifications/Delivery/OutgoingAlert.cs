namespace WebhookProcessor.Notifications;

/// <summary>An alert ready to leave: one recipient on one channel.</summary>
/// <param name="NotificationId">The outbox item's id; stable across retries.</param>
/// <param name="Recipient">An e-mail address, or the Teams Workflows webhook URL (a secret: never log it).</param>
public sealed record OutgoingAlert(string NotificationId, AlertChannel Channel, string Recipient, RenderedAlert Content);
