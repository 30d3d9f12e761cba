namespace WebhookProcessor.Queue;

public sealed record QueueStats(long Depth, DateTimeOffset? OldestEnqueuedAt, long DeadLetterCount);
