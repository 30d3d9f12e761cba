namespace WebhookProcessor.Queue;

/// <summary>
/// The intake side of the durable queue. Implementations: SQLite (embedded default) and, on Azure,
/// Service Bus. The other roles of the queue are <see cref="IQueueConsumer"/> (lease, settle, wait),
/// <see cref="IQueueMonitor"/> (statistics and dead letters for ops) and <see cref="IDeadLetterSink"/>.
/// </summary>
public interface IEventQueue
{
    /// <summary>
    /// Stores every change and dead letter of <paramref name="batch"/> durably. Completes only once
    /// they would survive a power cut. A queue may drop a change whose event id it already holds
    /// (Service Bus duplicate detection does); consumers must not rely on it either way.
    /// </summary>
    Task EnqueueAsync(IngestBatch batch, CancellationToken cancellationToken = default);
}
