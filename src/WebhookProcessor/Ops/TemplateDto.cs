using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.Ops;

public sealed record TemplateDto(
    string TemplateId,
    string WabaId,
    string? Name,
    string? Language,
    string? Status,
    string? LastStatusEvent,
    string? Category,
    string? QualityScore,
    PendingChangeDto? PendingCategoryChange,
    string? DetectedCorrectCategory,
    string? LastReason,
    RejectionInfoDto? RejectionInfo,
    InfoDto? StatusInfo,
    DateTime? DisableDate,
    int EditCount,
    DateTime? LastEditedAt,
    DateTime FirstSeenAt,
    DateTime LastEventAt,
    TemplateOwnerDto? Owner)
{
    /// <param name="owners">Every owner, to show who this template's alerts go to (null when not looked up).</param>
    /// <param name="isOverdue">Whether a pending change is overdue (see <see cref="PendingChanges.IsOverdue"/>); null: never.</param>
    public static TemplateDto From(TemplateRecord t, IReadOnlyList<Owner> owners, Func<PendingCategoryChange, bool>? isOverdue = null) => new(
        EventDto.Id(t.TemplateId)!, t.WabaId, t.Name, t.Language, t.Status, t.LastStatusEvent, t.Category, t.QualityScore,
        t.PendingCategoryChange is { } p ? new PendingChangeDto(p.From, p.To, p.EffectiveAt?.UtcDateTime, p.AnnouncedAt.UtcDateTime, isOverdue?.Invoke(p) ?? false) : null,
        t.DetectedCorrectCategory, t.LastReason, RejectionInfoDto.From(t.RejectionReason, t.RejectionRecommendation),
        InfoDto.From(t.StatusInfoTitle, t.StatusInfoDescription), EventDto.Utc(t.DisableDate), t.EditCount,
        EventDto.Utc(t.LastEditedAt), t.FirstSeenAt.UtcDateTime, t.LastEventAt.UtcDateTime,
        TemplateOwnerDto.From(OwnerRouting.Resolve(owners, t.WabaId, t.Name)));
}
