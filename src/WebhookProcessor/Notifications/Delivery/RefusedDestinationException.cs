namespace WebhookProcessor.Notifications;

/// <summary>
/// Thrown at connect time when a webhook host resolves to an address this service must not reach
/// (loopback, private, link-local…). The message names the host only, never the addresses, so an
/// alert's lastError does not describe the network.
/// </summary>
public sealed class RefusedDestinationException(string host)
    : Exception($"'{host}' does not lead to a public address; the connection was not opened")
{
    public string Host { get; } = host;
}
