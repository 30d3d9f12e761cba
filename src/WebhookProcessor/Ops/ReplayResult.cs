namespace WebhookProcessor.Ops;

/// <summary>What a replay did.</summary>
/// <param name="Found">False when no store has a dead letter with this id.</param>
/// <param name="EventId">The event id queued again; null when nothing was queued.</param>
/// <param name="Removed">True when the dead letter was removed after the queue accepted the change; false when another replay removed it first.</param>
/// <param name="Refusal">Why the dead letter cannot be replayed (it holds no change); null when it was.</param>
public sealed record ReplayResult(bool Found, string? EventId, bool Removed, string? Refusal)
{
    public static ReplayResult NotFound { get; } = new(false, null, false, null);

    public static ReplayResult Refused(string why) => new(true, null, false, why);

    public static ReplayResult Replayed(string eventId, bool removed) => new(true, eventId, removed, null);
}
