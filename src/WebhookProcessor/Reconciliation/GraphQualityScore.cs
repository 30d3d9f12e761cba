namespace WebhookProcessor.Reconciliation;

/// <summary>A template's <c>quality_score</c>: <c>{"score": "GREEN", "date": &lt;unix seconds&gt;}</c>; either part may be missing.</summary>
public sealed record GraphQualityScore(string? Score, DateTimeOffset? Date);
