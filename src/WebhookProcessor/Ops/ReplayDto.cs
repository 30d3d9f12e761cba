namespace WebhookProcessor.Ops;

/// <summary>The answer to <c>POST /api/dead-letters/{id}/replay</c>.</summary>
/// <param name="Removed">False when another replay removed the dead letter first (the change was queued either way).</param>
public sealed record ReplayDto(string Id, string EventId, bool Removed);
