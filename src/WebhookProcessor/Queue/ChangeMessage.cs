namespace WebhookProcessor.Queue;

/// <summary>
/// One change of a webhook, as queued: the unit of work, of identity and of deduplication.
/// </summary>
/// <param name="EventId">Deterministic id derived from the change's content (computed at intake, by <c>Webhooks.EventIdentity</c>).</param>
/// <param name="WabaId">The <c>entry.id</c> the change arrived under.</param>
/// <param name="Field">The subscribed field name, verbatim.</param>
/// <param name="EntryTime">The <c>entry.time</c> Unix seconds, when Meta sent one.</param>
/// <param name="ReceivedAt">When the webhook reached us.</param>
/// <param name="Change">The change object exactly as received (<c>{"field":…,"value":…}</c>).</param>
/// <param name="TraceParent">The W3C <c>traceparent</c> of the span that queued it, so its processing joins the webhook's trace; null when telemetry was off.</param>
public sealed record ChangeMessage(
    string EventId,
    string WabaId,
    string Field,
    long? EntryTime,
    DateTimeOffset ReceivedAt,
    string Change,
    string? TraceParent = null);
