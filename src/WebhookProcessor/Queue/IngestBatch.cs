namespace WebhookProcessor.Queue;

/// <summary>What one webhook POST produces: the changes to queue and the parts that could not be understood.</summary>
public sealed record IngestBatch(IReadOnlyList<ChangeMessage> Changes, IReadOnlyList<DeadLetter> DeadLetters);
