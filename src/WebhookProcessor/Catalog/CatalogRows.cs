using Microsoft.Data.Sqlite;

namespace WebhookProcessor.Catalog;

/// <summary>Maps events and templates to and from rows, in the column order of <see cref="CatalogSchema"/>.</summary>
internal static class CatalogRows
{
    public static object?[] EventValues(TemplateEvent e, DateTimeOffset processedAt, bool applied) =>
    [
        e.EventId, e.WabaId, e.TemplateId, e.TemplateName, e.Language, e.Field, e.Kind.ToApiName(), e.Event, e.Reason,
        e.Category, e.PreviousCategory, e.NewCategory, e.CorrectCategory, Ms(e.EffectiveAt), e.PreviousQualityScore,
        e.NewQualityScore, e.OtherInfoTitle, e.OtherInfoDescription, Ms(e.DisableDate), e.RejectionReason,
        e.RejectionRecommendation, Ms(e.OccurredAt), Ms(e.ReceivedAt), Ms(processedAt), applied ? 1 : 0, e.Source.ToApiName(), e.Raw,
    ];

    /// <summary>
    /// Reads an event row. Where the last column is the raw change's length instead of the change
    /// (a listing), <see cref="TemplateEvent.Raw"/> stays empty and the length is kept.
    /// </summary>
    public static StoredEvent ReadEvent(SqliteDataReader r, int o) => new(
        new TemplateEvent
        {
            EventId = r.GetString(o),
            WabaId = r.GetString(o + 1),
            TemplateId = Long(r, o + 2),
            TemplateName = Text(r, o + 3),
            Language = Text(r, o + 4),
            Field = r.GetString(o + 5),
            Kind = EventKindNames.FromApiName(r.GetString(o + 6)) ?? EventKind.Unknown,
            Event = Text(r, o + 7),
            Reason = Text(r, o + 8),
            Category = Text(r, o + 9),
            PreviousCategory = Text(r, o + 10),
            NewCategory = Text(r, o + 11),
            CorrectCategory = Text(r, o + 12),
            EffectiveAt = Time(r, o + 13),
            PreviousQualityScore = Text(r, o + 14),
            NewQualityScore = Text(r, o + 15),
            OtherInfoTitle = Text(r, o + 16),
            OtherInfoDescription = Text(r, o + 17),
            DisableDate = Time(r, o + 18),
            RejectionReason = Text(r, o + 19),
            RejectionRecommendation = Text(r, o + 20),
            OccurredAt = Time(r, o + 21)!.Value,
            ReceivedAt = Time(r, o + 22)!.Value,
            Source = EventSourceNames.FromStored(r.GetString(o + 25)),
            Raw = r.GetFieldType(o + 26) == typeof(string) ? r.GetString(o + 26) : string.Empty,
        },
        CatalogApplied: r.GetInt32(o + 24) == 1,
        ProcessedAt: Time(r, o + 23)!.Value,
        RawBytes: r.GetFieldType(o + 26) == typeof(string) ? null : r.GetInt64(o + 26));

    public static object?[] TemplateValues(TemplateRecord t) =>
    [
        t.TemplateId, t.WabaId, t.Name, t.Language, t.Status, t.LastStatusEvent, t.StatusBeforeArchive, Ms(t.StatusAt),
        t.Category, Ms(t.CategoryAt), t.PendingCategoryChange?.From, t.PendingCategoryChange?.To,
        Ms(t.PendingCategoryChange?.EffectiveAt), Ms(t.PendingCategoryChange?.AnnouncedAt),
        t.DetectedCorrectCategory, t.QualityScore, Ms(t.QualityAt), t.LastReason, t.RejectionReason,
        t.RejectionRecommendation, t.StatusInfoTitle, t.StatusInfoDescription, Ms(t.DisableDate), t.EditCount,
        Ms(t.LastEditedAt), Ms(t.FirstSeenAt), Ms(t.LastEventAt),
    ];

    public static TemplateRecord ReadTemplate(SqliteDataReader r) => new()
    {
        TemplateId = r.GetInt64(0),
        WabaId = r.GetString(1),
        Name = Text(r, 2),
        Language = Text(r, 3),
        Status = Text(r, 4),
        LastStatusEvent = Text(r, 5),
        StatusBeforeArchive = Text(r, 6),
        StatusAt = Time(r, 7),
        Category = Text(r, 8),
        CategoryAt = Time(r, 9),
        PendingCategoryChange = Text(r, 11) is { } to
            ? new PendingCategoryChange(Text(r, 10), to, Time(r, 12), Time(r, 13)!.Value)
            : null,
        DetectedCorrectCategory = Text(r, 14),
        QualityScore = Text(r, 15),
        QualityAt = Time(r, 16),
        LastReason = Text(r, 17),
        RejectionReason = Text(r, 18),
        RejectionRecommendation = Text(r, 19),
        StatusInfoTitle = Text(r, 20),
        StatusInfoDescription = Text(r, 21),
        DisableDate = Time(r, 22),
        EditCount = r.GetInt32(23),
        LastEditedAt = Time(r, 24),
        FirstSeenAt = Time(r, 25)!.Value,
        LastEventAt = Time(r, 26)!.Value,
    };

    private static long? Ms(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    private static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static long? Long(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    private static DateTimeOffset? Time(SqliteDataReader r, int i) =>
        r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));
}
