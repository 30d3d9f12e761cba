namespace WebhookProcessor.Queue;

/// <summary>
/// The consuming side of the durable queue: what a worker needs to take changes, settle them and
/// sleep until more arrive. At-least-once: a leased change comes back after the visibility timeout
/// unless it was completed, abandoned or dead-lettered under its lease.
/// Implementations: the embedded SQLite queue. On Azure the consumer is the Functions host's
/// <c>ProcessTemplateEvent</c> Service Bus trigger for now.
/// </summary>
public interface IQueueConsumer
{
    /// <summary>
    /// Leases up to <paramref name="maxCount"/> visible changes, oldest first, each with its delivery
    /// count including this delivery. A change past the queue's delivery limit is dead-lettered instead.
    /// </summary>
    Task<IReadOnlyList<LeasedMessage>> LeaseAsync(int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Removes changes for good. A change whose lease expired (and was leased again) is left alone.</summary>
    Task CompleteAsync(IReadOnlyCollection<LeasedMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Gives a failed change back, visible again after <paramref name="delay"/>; its delivery count and the error are kept.</summary>
    Task AbandonAsync(LeasedMessage message, string error, TimeSpan delay, CancellationToken cancellationToken = default);

    /// <summary>Moves a change out of the queue into the dead letters, with the reason, for ops to look at.</summary>
    Task DeadLetterAsync(LeasedMessage message, DeadLetterSource source, string reason, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns when changes were enqueued since the last wait, or after <paramref name="timeout"/>
    /// (measured on the queue's clock), whichever is first. True when woken by an arrival.
    /// </summary>
    Task<bool> WaitForArrivalAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
