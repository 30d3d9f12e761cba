using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Ops;

public sealed record PageDto<T>(IReadOnlyList<T> Items, string? NextCursor);

public sealed record EventDto(
    string EventId,
    string WabaId,
    string? TemplateId,
    string? TemplateName,
    string? Language,
    string Field,
    string Kind,
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
            e.EventId, e.WabaId, Id(e.TemplateId), e.TemplateName, e.Language, e.Field, e.Kind.ToApiName(), e.Event, e.Reason,
            e.Category, e.PreviousCategory, e.NewCategory, e.CorrectCategory, Utc(e.EffectiveAt), e.PreviousQualityScore,
            e.NewQualityScore, InfoDto.From(e.OtherInfoTitle, e.OtherInfoDescription), Utc(e.DisableDate),
            RejectionInfoDto.From(e.RejectionReason, e.RejectionRecommendation), e.OccurredAt.UtcDateTime,
            e.ReceivedAt.UtcDateTime, stored.ProcessedAt.UtcDateTime, stored.CatalogApplied, raw is null ? null : new RawJson(raw),
            stored.RawBytes ?? (raw is null ? null : Encoding.UTF8.GetByteCount(raw)), OpsRoutes.EventRaw(e.EventId));
    }

    internal static string? Id(long? id) => id?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static DateTime? Utc(DateTimeOffset? time) => time?.UtcDateTime;
}

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
    public static TemplateDto From(TemplateRecord t, IReadOnlyList<Owner> owners) => new(
        EventDto.Id(t.TemplateId)!, t.WabaId, t.Name, t.Language, t.Status, t.LastStatusEvent, t.Category, t.QualityScore,
        t.PendingCategoryChange is { } p ? new PendingChangeDto(p.From, p.To, p.EffectiveAt.UtcDateTime, p.AnnouncedAt.UtcDateTime) : null,
        t.DetectedCorrectCategory, t.LastReason, RejectionInfoDto.From(t.RejectionReason, t.RejectionRecommendation),
        InfoDto.From(t.StatusInfoTitle, t.StatusInfoDescription), EventDto.Utc(t.DisableDate), t.EditCount,
        EventDto.Utc(t.LastEditedAt), t.FirstSeenAt.UtcDateTime, t.LastEventAt.UtcDateTime,
        TemplateOwnerDto.From(OwnerRouting.Resolve(owners, t.WabaId, t.Name)));
}

public sealed record PendingChangeDto(string? From, string To, DateTime EffectiveAt, DateTime AnnouncedAt);

public sealed record InfoDto(string? Title, string? Description)
{
    public static InfoDto? From(string? title, string? description) =>
        title is null && description is null ? null : new InfoDto(title, description);
}

public sealed record RejectionInfoDto(string? Reason, string? Recommendation)
{
    public static RejectionInfoDto? From(string? reason, string? recommendation) =>
        reason is null && recommendation is null ? null : new RejectionInfoDto(reason, recommendation);
}

public sealed record DeadLetterDto(
    long Id,
    string? EventId,
    string Source,
    string Reason,
    string? WabaId,
    string? Field,
    int DeliveryCount,
    DateTime ReceivedAt,
    DateTime DeadLetteredAt,
    string? RawBody,
    string? RawBodyBase64,
    long? BodyBytes,
    string BodyUrl)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A listed dead letter; its body is null unless it was asked for (<c>includeRaw=true</c>).</summary>
    public static DeadLetterDto From(DeadLetterSummary d, byte[]? body = null)
    {
        string? text = null;
        if (body is not null)
        {
            text = AsText(body);
        }

        return new DeadLetterDto(
            d.Id, d.MessageId, d.Source.ToString(), d.Reason, d.WabaId, d.Field, d.DeliveryCount,
            d.ReceivedAt.UtcDateTime, d.DeadLetteredAt.UtcDateTime, text, body is not null && text is null ? Convert.ToBase64String(body) : null,
            d.BodyBytes ?? body?.LongLength, OpsRoutes.DeadLetterBody(d.Id));
    }

    public static DeadLetterDto From(StoredDeadLetter stored)
    {
        var d = stored.DeadLetter;
        return From(
            new DeadLetterSummary(stored.Id, d.MessageId, d.Source, d.Reason, d.ReceivedAt, d.DeadLetteredAt, d.WabaId, d.Field, d.DeliveryCount, d.Body.LongLength),
            d.Body);
    }

    /// <summary>The body as text when it is valid UTF-8; null when it is not (then it is shown as base64 so no byte is lost).</summary>
    internal static string? AsText(byte[] body)
    {
        try
        {
            return StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}

/// <param name="PendingAlerts">Alerts waiting to be sent (or being sent).</param>
/// <param name="FailedAlerts">Alerts that used up their attempts and wait for a re-send.</param>
/// <param name="UnroutedAlerts">Alerts for templates no owner matches, with no default owner.</param>
public sealed record HealthDto(string Status, long? QueueDepth, double? OldestMessageAgeSeconds, long? DeadLetterCount, int? PendingAlerts, int? FailedAlerts, int? UnroutedAlerts, string? Error);

/// <summary>A JSON value written out exactly as it was received, so history shows Meta's bytes, not a re-rendering.</summary>
[JsonConverter(typeof(RawJsonConverter))]
public sealed record RawJson(string Json);

internal sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return new RawJson(document.RootElement.GetRawText());
    }

    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Json, skipInputValidation: false);
}
