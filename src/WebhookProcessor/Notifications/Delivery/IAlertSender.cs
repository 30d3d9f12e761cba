namespace WebhookProcessor.Notifications;

/// <summary>Sends alerts on one channel. Implementations run their own resilience pipeline.</summary>
public interface IAlertSender
{
    AlertChannel Channel { get; }

    /// <summary>Returns when the channel accepted the alert; throws <see cref="AlertDeliveryException"/> otherwise.</summary>
    Task SendAsync(OutgoingAlert alert, CancellationToken cancellationToken);
}
