namespace WebhookProcessor.Catalog;

/// <summary>
/// One change, normalized. Meta's ambiguities are resolved here once: for a category change,
/// <see cref="NewCategory"/> is always the category after the change (and <see cref="PreviousCategory"/>
/// the one before, when Meta says), whichever of Meta's two shapes it arrived in, while
/// <see cref="Category"/> is the template's category when the event was sent. Unknown enum values are kept verbatim.
/// </summary>
public sealed record TemplateEvent
{
    public required string EventId { get; init; }
    public required string WabaId { get; init; }
    public required string Field { get; init; }
    public required EventKind Kind { get; init; }
    public long? TemplateId { get; init; }
    public string? TemplateName { get; init; }
    public string? Language { get; init; }

    /// <summary>Meta's <c>event</c> value (status updates only).</summary>
    public string? Event { get; init; }
    public string? Reason { get; init; }

    /// <summary>The category the template has (or had, for a completed change) when the event was sent.</summary>
    public string? Category { get; init; }
    public string? PreviousCategory { get; init; }
    public string? NewCategory { get; init; }
    public string? CorrectCategory { get; init; }

    /// <summary>When an announced category change takes (or took) effect.</summary>
    public DateTimeOffset? EffectiveAt { get; init; }
    public string? PreviousQualityScore { get; init; }
    public string? NewQualityScore { get; init; }
    public string? OtherInfoTitle { get; init; }
    public string? OtherInfoDescription { get; init; }
    public DateTimeOffset? DisableDate { get; init; }
    public string? RejectionReason { get; init; }
    public string? RejectionRecommendation { get; init; }

    /// <summary>Meta's <c>entry.time</c>, or the receipt time when Meta sent none.</summary>
    public required DateTimeOffset OccurredAt { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>A webhook unless a reconciliation run made the event; every existing producer is a webhook.</summary>
    public EventSource Source { get; init; } = EventSource.Webhook;

    /// <summary>The change object exactly as received.</summary>
    public required string Raw { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the span that applies the event, kept with the alerts it plans so
    /// their delivery joins the same trace; null when telemetry is off. Not part of the event's identity
    /// and never in the history.
    /// </summary>
    public string? TraceParent { get; init; }
}
