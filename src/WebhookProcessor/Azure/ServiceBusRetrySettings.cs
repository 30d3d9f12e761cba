using Azure.Messaging.ServiceBus;

namespace WebhookProcessor.Azure;

/// <summary>
/// Settings under <c>Queue:ServiceBus:Retry</c>, named as the SDK's <see cref="ServiceBusRetryOptions"/>:
/// how often and how long one client operation is retried on a transient failure.
/// </summary>
public sealed class ServiceBusRetrySettings
{
    public ServiceBusRetryMode Mode { get; set; } = ServiceBusRetryMode.Exponential;

    public int MaxRetries { get; set; } = 3;

    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(0.8);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The time one attempt may take. Intake answers Meta only after the send, so this stays short.</summary>
    public TimeSpan TryTimeout { get; set; } = TimeSpan.FromSeconds(20);

    public ServiceBusRetryOptions ToSdk() => new()
    {
        Mode = Mode,
        MaxRetries = MaxRetries,
        Delay = Delay,
        MaxDelay = MaxDelay,
        TryTimeout = TryTimeout,
    };
}
