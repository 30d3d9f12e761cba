namespace WebhookProcessor.Queue;

/// <summary>Something that could not be processed, kept with its raw bytes and the reason.</summary>
public sealed record DeadLetter(
    string? MessageId,
    DeadLetterSource Source,
    string Reason,
    DateTimeOffset ReceivedAt,
    DateTimeOffset DeadLetteredAt,
    byte[] Body,
    string? WabaId = null,
    string? Field = null,
    int DeliveryCount = 0);

public enum DeadLetterSource
{
    /// <summary>A signed webhook (or part of one) that could not be understood at intake.</summary>
    Intake,

    /// <summary>A queued change the worker rejected as malformed.</summary>
    Poison,

    /// <summary>A queued change that kept failing until its delivery limit.</summary>
    RetriesExhausted,
}
