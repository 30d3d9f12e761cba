namespace WebhookProcessor.Queue;

/// <summary>A dead letter as listed: everything but the body, with the body's size in bytes.</summary>
/// <param name="BodyBytes">The stored body's length; null where the store did not record it (rows written before it did).</param>
public sealed record DeadLetterSummary(
    long Id,
    string? MessageId,
    DeadLetterSource Source,
    string Reason,
    DateTimeOffset ReceivedAt,
    DateTimeOffset DeadLetteredAt,
    string? WabaId,
    string? Field,
    int DeliveryCount,
    long? BodyBytes);
