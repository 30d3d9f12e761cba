using WebhookProcessor.Storage;

namespace WebhookProcessor.Queue;

/// <summary>What ops sees of the queue: its health and what could not be processed.</summary>
public interface IQueueMonitor
{
    Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Dead letters newest first, without their bodies: a listing must not read megabytes per row
    /// (a body can be as large as the largest webhook accepted). <see cref="GetDeadLetterAsync"/> reads one whole.
    /// </summary>
    Task<Page<DeadLetterSummary>> ListDeadLettersAsync(int limit, string? cursor, CancellationToken cancellationToken = default);

    /// <summary>One dead letter with its body, or null when there is none with this id.</summary>
    Task<StoredDeadLetter?> GetDeadLetterAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes one dead letter for good (after a replay put it back on the queue). False when there is
    /// none with this id, for instance because another replay removed it first.
    /// </summary>
    Task<bool> RemoveDeadLetterAsync(string id, CancellationToken cancellationToken = default);
}
