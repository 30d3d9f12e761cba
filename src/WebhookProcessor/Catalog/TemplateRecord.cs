namespace WebhookProcessor.Catalog;

/// <summary>
/// One template in the catalog: what the newest applied events say about it. Each aspect (status,
/// category, quality) remembers the time of the event that set it, so an older event arriving late
/// never rolls that aspect back.
/// </summary>
public sealed record TemplateRecord
{
    public required long TemplateId { get; init; }
    public required string WabaId { get; init; }
    public string? Name { get; init; }
    public string? Language { get; init; }

    public string? Status { get; init; }

    /// <summary>The last status event, which may be a passing one such as FLAGGED or LOCKED.</summary>
    public string? LastStatusEvent { get; init; }
    public string? StatusBeforeArchive { get; init; }
    public DateTimeOffset? StatusAt { get; init; }

    public string? Category { get; init; }
    public DateTimeOffset? CategoryAt { get; init; }
    public PendingCategoryChange? PendingCategoryChange { get; init; }

    /// <summary>What Meta's correct-category detection said the category should be (Direct Send).</summary>
    public string? DetectedCorrectCategory { get; init; }

    public string? QualityScore { get; init; }
    public DateTimeOffset? QualityAt { get; init; }

    public string? LastReason { get; init; }
    public string? RejectionReason { get; init; }
    public string? RejectionRecommendation { get; init; }
    public string? StatusInfoTitle { get; init; }
    public string? StatusInfoDescription { get; init; }
    public DateTimeOffset? DisableDate { get; init; }

    public int EditCount { get; init; }
    public DateTimeOffset? LastEditedAt { get; init; }

    public required DateTimeOffset FirstSeenAt { get; init; }
    public required DateTimeOffset LastEventAt { get; init; }
}
