namespace WebhookProcessor.Catalog;

/// <summary>
/// One row for the outbox, written in the same commit as the event that caused it. The stores carry it
/// as it is: what it means (channels, statuses, facts) belongs to whoever planned it, so the catalog
/// commits alerts without knowing anything about notifications.
/// </summary>
/// <param name="NotificationId">Unique: writing the same item twice keeps the first.</param>
/// <param name="Channel">The delivery channel's name, or null for an item nobody can be told about yet.</param>
/// <param name="Status">The item's first status.</param>
/// <param name="DueAtCommit">Whether the item is due for delivery from the commit's time on (otherwise it waits for someone).</param>
/// <param name="FactsJson">What the item is about, already serialized by whoever planned it.</param>
/// <param name="TraceParent">The W3C <c>traceparent</c> of the commit that planned it, so its deliveries join that trace; null when telemetry is off.</param>
public sealed record OutboxItem(
    string NotificationId,
    string EventId,
    string Kind,
    string WabaId,
    long? TemplateId,
    string? Channel,
    string? Recipient,
    string? OwnerId,
    string? OwnerName,
    string Language,
    string FactsJson,
    string Status,
    bool DueAtCommit,
    string? TraceParent = null);
