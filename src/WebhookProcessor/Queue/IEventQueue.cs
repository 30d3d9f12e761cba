namespace WebhookProcessor.Queue;

/// <summary>
/// The intake side of the durable queue. Implementations: SQLite (embedded default) and,
/// on Azure, Service Bus.
/// </summary>
public interface IEventQueue
{
    /// <summary>
    /// Stores every change and dead letter of <paramref name="batch"/> durably. Completes only once
    /// they would survive a power cut; a change whose event id is already queued is stored once.
    /// </summary>
    Task EnqueueAsync(IngestBatch batch, CancellationToken cancellationToken = default);
}
