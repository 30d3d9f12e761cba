namespace WebhookProcessor.Queue;

/// <summary>The queue's figures, as <c>/healthz</c> shows them.</summary>
/// <param name="Depth">Messages waiting to be processed; null when the queue cannot say (a broker that did not answer).</param>
/// <param name="OldestEnqueuedAt">When the oldest waiting message arrived; null when none waits, or when <paramref name="Depth"/> is above 0 and the broker could not say.</param>
/// <param name="DeadLetterCount">Dead letters from every source; null when one of them cannot be counted.</param>
public sealed record QueueStats(long? Depth, DateTimeOffset? OldestEnqueuedAt, long? DeadLetterCount)
{
    /// <summary>Figures that could not be read: nothing is claimed, not even an empty queue.</summary>
    public static QueueStats Unknown { get; } = new(null, null, null);

    /// <summary>
    /// Seconds the oldest waiting message has waited at <paramref name="now"/>: 0 when nothing waits, null
    /// when messages wait and the queue cannot say since when (or cannot say how many wait).
    /// </summary>
    public double? OldestAgeSeconds(DateTimeOffset now) =>
        OldestEnqueuedAt is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds)
        : Depth is 0 ? 0
        : null;
}
