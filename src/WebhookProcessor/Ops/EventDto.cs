using System.Text;
using WebhookProcessor.Catalog;

namespace WebhookProcessor.Ops;

public sealed record EventDto(
    string EventId,
    string WabaId,
    string? TemplateId,
    string? TemplateName,
    string? Language,
    string Field,
    string Kind,
    string Source,
    string? Event,
    string? Reason,
    string? Category,
    string? PreviousCategory,
    string? NewCategory,
    string? CorrectCategory,
    DateTime? EffectiveAt,
    string? PreviousQualityScore,
    string? NewQualityScore,
    InfoDto? OtherInfo,
    DateTime? DisableDate,
    RejectionInfoDto? RejectionInfo,
    DateTime OccurredAt,
    DateTime ReceivedAt,
    DateTime ProcessedAt,
    bool CatalogApplied,
    RawJson? Raw,
    long? RawBytes,
    string RawUrl)
{
    /// <param name="raw">The raw change when it was asked for (<c>includeRaw=true</c>); listings leave it null by default.</param>
    public static EventDto From(StoredEvent stored, string? raw = null)
    {
        var e = stored.Event;
        return new EventDto(
            e.EventId, e.WabaId, Id(e.TemplateId), e.TemplateName, e.Language, e.Field, e.Kind.ToApiName(), e.Source.ToApiName(), e.Event, e.Reason,
            e.Category, e.PreviousCategory, e.NewCategory, e.CorrectCategory, Utc(e.EffectiveAt), e.PreviousQualityScore,
            e.NewQualityScore, InfoDto.From(e.OtherInfoTitle, e.OtherInfoDescription), Utc(e.DisableDate),
            RejectionInfoDto.From(e.RejectionReason, e.RejectionRecommendation), e.OccurredAt.UtcDateTime,
            e.ReceivedAt.UtcDateTime, stored.ProcessedAt.UtcDateTime, stored.CatalogApplied, raw is null ? null : new RawJson(raw),
            stored.RawBytes ?? (raw is null ? null : Encoding.UTF8.GetByteCount(raw)), OpsRoutes.EventRaw(e.EventId));
    }

    internal static string? Id(long? id) => id?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static DateTime? Utc(DateTimeOffset? time) => time?.UtcDateTime;
}
