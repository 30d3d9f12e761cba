using WebhookProcessor.Storage;

namespace WebhookProcessor.Queue;

/// <summary>What ops sees of the queue: its health and what could not be processed.</summary>
public interface IQueueMonitor
{
    Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken = default);

    Task<Page<StoredDeadLetter>> ListDeadLettersAsync(int limit, string? cursor, CancellationToken cancellationToken = default);
}

public sealed record StoredDeadLetter(long Id, DeadLetter DeadLetter);
