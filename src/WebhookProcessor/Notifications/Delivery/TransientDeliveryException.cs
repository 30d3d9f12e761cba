namespace WebhookProcessor.Notifications;

/// <summary>
/// Thrown by one send attempt inside a channel's pipeline when another attempt may succeed (server
/// busy, unreachable). It never leaves the sender: <see cref="ChannelResilience.SendAsync"/> turns the
/// last one into a non-permanent <see cref="AlertDeliveryException"/>. The message never contains a secret.
/// </summary>
/// <param name="scope">Which circuit breaker the failure counts against; the channel's unless the sender knows better.</param>
public sealed class TransientDeliveryException(string message, Exception? inner = null, FailureScope scope = FailureScope.Channel)
    : Exception(message, inner)
{
    public FailureScope Scope { get; } = scope;
}
