namespace WebhookProcessor.Reconciliation;

/// <summary>
/// One template as the Graph API describes it at the moment it was fetched. Text fields are Meta's
/// values as given (upper case names such as <c>APPROVED</c>, <c>UTILITY</c>); absent ones are
/// <see langword="null"/>. <see cref="CorrectCategory"/> keeps Meta's empty string apart from an absent
/// field, since the categorization guide reads both as "nothing pending" but they are not the same answer.
/// </summary>
public sealed record GraphTemplate(
    long Id,
    string Name,
    string? Language,
    string? Status,
    string? Category,
    string? PreviousCategory,
    string? CorrectCategory,
    GraphQualityScore? QualityScore,
    string? RejectedReason,
    string? SubCategory);
