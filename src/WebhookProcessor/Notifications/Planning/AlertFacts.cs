namespace WebhookProcessor.Notifications;

/// <summary>
/// What an alert is about, captured when its event is processed and stored with the alert, so the
/// message can be rendered (and re-sent) later without the event. Absent values are null.
/// </summary>
public sealed record AlertFacts
{
    /// <summary>One of <see cref="AlertKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The event that caused the alert; for a digest, a synthetic id for the owner and day.</summary>
    public required string EventId { get; init; }
    public required string WabaId { get; init; }
    public long? TemplateId { get; init; }
    public string? TemplateName { get; init; }
    public string? Language { get; init; }

    /// <summary>Meta's status event (REJECTED, PAUSED, …) for status alerts.</summary>
    public string? StatusEvent { get; init; }

    /// <summary>Meta's reason (INCORRECT_CATEGORY, INVALID_FORMAT, …).</summary>
    public string? Reason { get; init; }

    /// <summary>The template's category now (before an upcoming change takes effect).</summary>
    public string? Category { get; init; }
    public string? PreviousCategory { get; init; }

    /// <summary>The category after the change (upcoming or completed).</summary>
    public string? NewCategory { get; init; }

    /// <summary>When an upcoming change takes effect, or a completed one took effect.</summary>
    public DateTimeOffset? EffectiveAt { get; init; }

    /// <summary>True when <see cref="EffectiveAt"/> was not given by Meta but derived (1st of the next month).</summary>
    public bool EffectiveAtEstimated { get; init; }
    public string? RejectionReason { get; init; }
    public string? RejectionRecommendation { get; init; }

    /// <summary>Meta's other_info title (FIRST_PAUSE, SECOND_PAUSE, RATE_LIMITING_PAUSE, UNPAUSE, DISABLED).</summary>
    public string? OtherInfoTitle { get; init; }
    public string? OtherInfoDescription { get; init; }
    public DateTimeOffset? DisableDate { get; init; }
    public string? PreviousQualityScore { get; init; }
    public string? NewQualityScore { get; init; }

    /// <summary>When Meta sent the event.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>For <see cref="AlertKinds.UpcomingDigest"/> only: the owner's pending changes, soonest first.</summary>
    public IReadOnlyList<DigestItem>? Digest { get; init; }
}
