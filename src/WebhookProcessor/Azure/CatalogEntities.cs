using System.IO.Compression;
using System.Text;
using WebhookProcessor.AzureRest.Tables;
using WebhookProcessor.Catalog;

namespace WebhookProcessor.Azure;

/// <summary>Catalog records and history events to and from entities; property names follow the record members.</summary>
internal static class CatalogEntities
{
    /// <summary>Raw changes up to this many characters are kept as text; longer ones are gzipped into binary chunks.</summary>
    private const int PlainRawChars = 16 * 1024;

    /// <summary>What a history listing reads of an event: everything but the raw change (and its chunks).</summary>
    public static readonly string[] EventSummaryProperties =
    [
        "PartitionKey", "RowKey", "EventId", "WabaId", "TemplateId", "TemplateName", "Language", "Field", "Kind", "Event",
        "Reason", "Category", "PreviousCategory", "NewCategory", "CorrectCategory", "EffectiveAt", "PreviousQualityScore",
        "NewQualityScore", "OtherInfoTitle", "OtherInfoDescription", "DisableDate", "RejectionReason", "RejectionRecommendation",
        "OccurredAt", "ReceivedAt", "ProcessedAt", "CatalogApplied", "RawBytes",
    ];

    public static TableEntity Template(string partitionKey, string rowKey, TemplateRecord t, long version)
    {
        var entity = new TableEntity(partitionKey, rowKey)
        {
            { "Version", version },
            { "TemplateId", t.TemplateId },
            { "WabaId", t.WabaId },
            { "Name", t.Name },
            { "Language", t.Language },
            { "Status", t.Status },
            { "LastStatusEvent", t.LastStatusEvent },
            { "StatusBeforeArchive", t.StatusBeforeArchive },
            { "StatusAt", t.StatusAt },
            { "Category", t.Category },
            { "CategoryAt", t.CategoryAt },
            { "PendingFrom", t.PendingCategoryChange?.From },
            { "PendingTo", t.PendingCategoryChange?.To },
            { "PendingEffectiveAt", t.PendingCategoryChange?.EffectiveAt },
            { "PendingAnnouncedAt", t.PendingCategoryChange?.AnnouncedAt },
            // Absent properties cannot be filtered on: the flag makes "has a pending change" queryable.
            { "HasPending", t.PendingCategoryChange is not null },
            { "DetectedCorrectCategory", t.DetectedCorrectCategory },
            { "QualityScore", t.QualityScore },
            { "QualityAt", t.QualityAt },
            { "LastReason", t.LastReason },
            { "RejectionReason", t.RejectionReason },
            { "RejectionRecommendation", t.RejectionRecommendation },
            { "StatusInfoTitle", t.StatusInfoTitle },
            { "StatusInfoDescription", t.StatusInfoDescription },
            { "DisableDate", t.DisableDate },
            { "EditCount", t.EditCount },
            { "LastEditedAt", t.LastEditedAt },
            { "FirstSeenAt", t.FirstSeenAt },
            { "LastEventAt", t.LastEventAt },
        };
        return entity;
    }

    public static TemplateRecord ReadTemplate(TableEntity e) => new()
    {
        TemplateId = e.GetInt64("TemplateId")!.Value,
        WabaId = e.GetString("WabaId")!,
        Name = e.GetString("Name"),
        Language = e.GetString("Language"),
        Status = e.GetString("Status"),
        LastStatusEvent = e.GetString("LastStatusEvent"),
        StatusBeforeArchive = e.GetString("StatusBeforeArchive"),
        StatusAt = e.GetDateTimeOffset("StatusAt"),
        Category = e.GetString("Category"),
        CategoryAt = e.GetDateTimeOffset("CategoryAt"),
        PendingCategoryChange = e.GetString("PendingTo") is { } to
            ? new PendingCategoryChange(e.GetString("PendingFrom"), to, e.GetDateTimeOffset("PendingEffectiveAt")!.Value, e.GetDateTimeOffset("PendingAnnouncedAt")!.Value)
            : null,
        DetectedCorrectCategory = e.GetString("DetectedCorrectCategory"),
        QualityScore = e.GetString("QualityScore"),
        QualityAt = e.GetDateTimeOffset("QualityAt"),
        LastReason = e.GetString("LastReason"),
        RejectionReason = e.GetString("RejectionReason"),
        RejectionRecommendation = e.GetString("RejectionRecommendation"),
        StatusInfoTitle = e.GetString("StatusInfoTitle"),
        StatusInfoDescription = e.GetString("StatusInfoDescription"),
        DisableDate = e.GetDateTimeOffset("DisableDate"),
        EditCount = e.GetInt32("EditCount") ?? 0,
        LastEditedAt = e.GetDateTimeOffset("LastEditedAt"),
        FirstSeenAt = e.GetDateTimeOffset("FirstSeenAt")!.Value,
        LastEventAt = e.GetDateTimeOffset("LastEventAt")!.Value,
    };

    public static long Version(TableEntity e) => e.GetInt64("Version") ?? 0;

    /// <param name="home">The catalog partition holding the event's own row, so a copy can find it (pruning).</param>
    public static TableEntity Event(string partitionKey, string rowKey, string home, TemplateEvent e, DateTimeOffset processedAt, bool applied)
    {
        var entity = new TableEntity(partitionKey, rowKey)
        {
            { "Home", home },
            { "EventId", e.EventId },
            { "WabaId", e.WabaId },
            { "TemplateId", e.TemplateId },
            { "TemplateName", e.TemplateName },
            { "Language", e.Language },
            { "Field", e.Field },
            { "Kind", e.Kind.ToApiName() },
            { "Event", e.Event },
            { "Reason", e.Reason },
            { "Category", e.Category },
            { "PreviousCategory", e.PreviousCategory },
            { "NewCategory", e.NewCategory },
            { "CorrectCategory", e.CorrectCategory },
            { "EffectiveAt", e.EffectiveAt },
            { "PreviousQualityScore", e.PreviousQualityScore },
            { "NewQualityScore", e.NewQualityScore },
            { "OtherInfoTitle", e.OtherInfoTitle },
            { "OtherInfoDescription", e.OtherInfoDescription },
            { "DisableDate", e.DisableDate },
            { "RejectionReason", e.RejectionReason },
            { "RejectionRecommendation", e.RejectionRecommendation },
            { "OccurredAt", e.OccurredAt },
            { "ReceivedAt", e.ReceivedAt },
            { "ProcessedAt", processedAt },
            { "CatalogApplied", applied },
        };
        // The size is kept beside the change so a listing can show it without reading the change.
        entity["RawBytes"] = (long)Encoding.UTF8.GetByteCount(e.Raw);
        SetRaw(entity, e.Raw);
        return entity;
    }

    /// <summary>The same event under other keys (an index copy).</summary>
    public static TableEntity Copy(TableEntity source, string partitionKey, string rowKey)
    {
        var copy = new TableEntity(partitionKey, rowKey);
        foreach (var (name, value) in source)
        {
            copy[name] = value;
        }

        return copy;
    }

    public static StoredEvent ReadEvent(TableEntity e) => new(
        new TemplateEvent
        {
            EventId = e.GetString("EventId")!,
            WabaId = e.GetString("WabaId")!,
            TemplateId = e.GetInt64("TemplateId"),
            TemplateName = e.GetString("TemplateName"),
            Language = e.GetString("Language"),
            Field = e.GetString("Field")!,
            Kind = EventKindNames.FromApiName(e.GetString("Kind") ?? "") ?? EventKind.Unknown,
            Event = e.GetString("Event"),
            Reason = e.GetString("Reason"),
            Category = e.GetString("Category"),
            PreviousCategory = e.GetString("PreviousCategory"),
            NewCategory = e.GetString("NewCategory"),
            CorrectCategory = e.GetString("CorrectCategory"),
            EffectiveAt = e.GetDateTimeOffset("EffectiveAt"),
            PreviousQualityScore = e.GetString("PreviousQualityScore"),
            NewQualityScore = e.GetString("NewQualityScore"),
            OtherInfoTitle = e.GetString("OtherInfoTitle"),
            OtherInfoDescription = e.GetString("OtherInfoDescription"),
            DisableDate = e.GetDateTimeOffset("DisableDate"),
            RejectionReason = e.GetString("RejectionReason"),
            RejectionRecommendation = e.GetString("RejectionRecommendation"),
            OccurredAt = e.GetDateTimeOffset("OccurredAt")!.Value,
            ReceivedAt = e.GetDateTimeOffset("ReceivedAt")!.Value,
            // A listing selects no raw properties: the change is then left empty (see EventSummaryProperties).
            Raw = HasRaw(e) ? ReadRaw(e) : string.Empty,
        },
        CatalogApplied: e.GetBoolean("CatalogApplied") ?? false,
        ProcessedAt: e.GetDateTimeOffset("ProcessedAt")!.Value,
        RawBytes: e.GetInt64("RawBytes"));

    private static bool HasRaw(TableEntity e) => e.Contains("Raw") || e.Contains("RawGzip") || e.Contains("RawGzip__n");

    /// <summary>
    /// Small changes stay readable text. Larger ones are gzipped (JSON shrinks several times) and split into
    /// 64 KiB chunks, so a 1 MB change fits the 1 MiB entity limit whole.
    /// </summary>
    private static void SetRaw(TableEntity entity, string raw)
    {
        if (raw.Length <= PlainRawChars)
        {
            entity["Raw"] = raw;
            return;
        }

        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(raw));
        }

        TableLargeProperty.SetBinary(entity, "RawGzip", buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    public static string ReadRaw(TableEntity e)
    {
        if (e.GetString("Raw") is { } raw)
        {
            return raw;
        }

        var compressed = TableLargeProperty.GetBinary(e, "RawGzip") ?? [];
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
