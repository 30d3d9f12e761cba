namespace WebhookProcessor.Notifications;

/// <summary>One outbox item.</summary>
public sealed record Notification
{
    public required long Sequence { get; init; }
    public required string Id { get; init; }
    public required AlertFacts Facts { get; init; }
    public AlertChannel? Channel { get; init; }

    /// <summary>An e-mail address or a Teams webhook URL (a secret: redact before showing).</summary>
    public string? Recipient { get; init; }
    public string? OwnerId { get; init; }
    public string? OwnerName { get; init; }
    public required string Language { get; init; }
    public required string Status { get; init; }
    public int Attempts { get; init; }
    public string? LastError { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public DateTimeOffset? SentAt { get; init; }

    /// <summary>The W3C <c>traceparent</c> its deliveries continue (the commit that planned it); null when telemetry was off.</summary>
    public string? TraceParent { get; init; }
}
