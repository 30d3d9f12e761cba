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
