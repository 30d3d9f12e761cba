namespace WebhookProcessor.Notifications;

/// <summary>
/// A send that did not succeed. <see cref="Permanent"/> means trying again cannot help (a Teams URL
/// that answers 404, a mailbox the server refuses, a channel that is not configured): the alert
/// fails at once instead of using up its attempts. The message never contains a secret.
/// </summary>
public sealed class AlertDeliveryException(string message, bool permanent, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;
}
