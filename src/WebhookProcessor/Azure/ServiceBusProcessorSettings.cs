namespace WebhookProcessor.Azure;

/// <summary>
/// The in-process receiver's settings (<c>Queue:ServiceBus:Processor</c>), used when
/// <c>Queue:ServiceBus:Receiver</c> is <c>Processor</c>.
/// </summary>
public sealed class ServiceBusProcessorSettings
{
    /// <summary>Messages processed at once. Each is one store transaction; more than a few mostly adds contention.</summary>
    public int MaxConcurrentCalls { get; set; } = 4;

    /// <summary>
    /// Messages fetched ahead of processing. Prefetched messages are locked while they wait, so this stays
    /// small against the queue's lock duration.
    /// </summary>
    public int PrefetchCount { get; set; } = 16;

    /// <summary>How long the processor keeps renewing a message's lock while it is processed (lock renewal).</summary>
    public TimeSpan MaxAutoLockRenewalDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a message whose change the store failed to apply is held (its lock renewed) before it is
    /// abandoned: <see cref="RetryBaseDelay"/> doubled per delivery with jitter, up to
    /// <see cref="RetryMaxDelay"/>. An abandoned message is redelivered at once, so without the wait a
    /// store outage of a few seconds would spend the queue's deliveries and dead-letter the change.
    /// </summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait before an abandon; kept below <see cref="MaxAutoLockRenewalDuration"/>.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);
}
