namespace WebhookProcessor.Queue;

/// <summary>A dead letter as listed: everything but the body, with the body's size in bytes.</summary>
/// <param name="Id">The store's id for it: opaque text (JSON clients would round a large number).</param>
/// <param name="BodyBytes">The stored body's length; null where the store did not record it (rows written before it did).</param>
/// <param name="Description">More detail than <paramref name="Reason"/> where the store has it (the broker's dead-letter error description).</param>
public sealed record DeadLetterSummary(
    string Id,
    string? MessageId,
    DeadLetterSource Source,
    string Reason,
    DateTimeOffset ReceivedAt,
    DateTimeOffset DeadLetteredAt,
    string? WabaId,
    string? Field,
    int DeliveryCount,
    long? BodyBytes,
    string? Description = null);
