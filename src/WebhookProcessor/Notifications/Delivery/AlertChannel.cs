namespace WebhookProcessor.Notifications;

public enum AlertChannel
{
    Email,
    Teams,
}

/// <summary>An alert ready to leave: one recipient on one channel.</summary>
/// <param name="NotificationId">The outbox item's id; stable across retries.</param>
/// <param name="Recipient">An e-mail address, or the Teams Workflows webhook URL (a secret: never log it).</param>
public sealed record OutgoingAlert(string NotificationId, AlertChannel Channel, string Recipient, RenderedAlert Content);

/// <summary>The same alert in the two forms the channels need.</summary>
/// <param name="Subject">E-mail subject; names the template and the kind of alert.</param>
/// <param name="Html">E-mail HTML body.</param>
/// <param name="Text">E-mail plain-text alternative.</param>
/// <param name="TeamsPayload">The whole JSON body to post to a Teams Workflows webhook (a message with one Adaptive Card 1.4 attachment).</param>
public sealed record RenderedAlert(string Subject, string Html, string Text, string TeamsPayload);

/// <summary>Sends alerts on one channel. Implementations run their own resilience pipeline.</summary>
public interface IAlertSender
{
    AlertChannel Channel { get; }

    /// <summary>Returns when the channel accepted the alert; throws <see cref="AlertDeliveryException"/> otherwise.</summary>
    Task SendAsync(OutgoingAlert alert, CancellationToken cancellationToken);
}

/// <summary>
/// A send that did not succeed. <see cref="Permanent"/> means trying again cannot help (a Teams URL
/// that answers 404, a mailbox the server refuses, a channel that is not configured): the alert
/// fails at once instead of using up its attempts. The message never contains a secret.
/// </summary>
public sealed class AlertDeliveryException(string message, bool permanent, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;
}
