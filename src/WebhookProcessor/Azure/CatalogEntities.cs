using System.IO.Compression;
using System.Text;
using Azure.Data.Tables;
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
        "OccurredAt", "ReceivedAt", "ProcessedAt", "CatalogApplied", "RawBytes", "Source",
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
        TemplateId = e.ReadInt64("TemplateId")!.Value,
        WabaId = e.ReadString("WabaId")!,
        Name = e.ReadString("Name"),
        Language = e.ReadString("Language"),
        Status = e.ReadString("Status"),
        LastStatusEvent = e.ReadString("LastStatusEvent"),
        StatusBeforeArchive = e.ReadString("StatusBeforeArchive"),
        StatusAt = e.ReadTime("StatusAt"),
        Category = e.ReadString("Category"),
        CategoryAt = e.ReadTime("CategoryAt"),
        PendingCategoryChange = e.ReadString("PendingTo") is { } to
            ? new PendingCategoryChange(e.ReadString("PendingFrom"), to, e.ReadTime("PendingEffectiveAt"), e.ReadTime("PendingAnnouncedAt")!.Value)
            : null,
        DetectedCorrectCategory = e.ReadString("DetectedCorrectCategory"),
        QualityScore = e.ReadString("QualityScore"),
        QualityAt = e.ReadTime("QualityAt"),
        LastReason = e.ReadString("LastReason"),
        RejectionReason = e.ReadString("RejectionReason"),
        RejectionRecommendation = e.ReadString("RejectionRecommendation"),
        StatusInfoTitle = e.ReadString("StatusInfoTitle"),
        StatusInfoDescription = e.ReadString("StatusInfoDescription"),
        DisableDate = e.ReadTime("DisableDate"),
        EditCount = e.ReadInt32("EditCount") ?? 0,
        LastEditedAt = e.ReadTime("LastEditedAt"),
        FirstSeenAt = e.ReadTime("FirstSeenAt")!.Value,
        LastEventAt = e.ReadTime("LastEventAt")!.Value,
    };

    public static long Version(TableEntity e) => e.ReadInt64("Version") ?? 0;

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
        // Written only for events that are not webhooks: every row from before the field existed is a
        // webhook and has none, so "absent" has to mean webhook anyway, and webhook rows stay as they were.
        if (e.Source != EventSource.Webhook)
        {
            entity["Source"] = e.Source.ToApiName();
        }

        // The size is kept beside the change so a listing can show it without reading the change.
        entity["RawBytes"] = (long)Encoding.UTF8.GetByteCount(e.Raw);
        SetRaw(entity, e.Raw);
        return entity;
    }

    /// <summary>The same event under other keys (an index copy).</summary>
    public static TableEntity Copy(TableEntity source, string partitionKey, string rowKey) => source.CopyTo(partitionKey, rowKey);

    public static StoredEvent ReadEvent(TableEntity e) => new(
        new TemplateEvent
        {
            EventId = e.ReadString("EventId")!,
            WabaId = e.ReadString("WabaId")!,
            TemplateId = e.ReadInt64("TemplateId"),
            TemplateName = e.ReadString("TemplateName"),
            Language = e.ReadString("Language"),
            Field = e.ReadString("Field")!,
            Kind = EventKindNames.FromApiName(e.ReadString("Kind") ?? "") ?? EventKind.Unknown,
            Event = e.ReadString("Event"),
            Reason = e.ReadString("Reason"),
            Category = e.ReadString("Category"),
            PreviousCategory = e.ReadString("PreviousCategory"),
            NewCategory = e.ReadString("NewCategory"),
            CorrectCategory = e.ReadString("CorrectCategory"),
            EffectiveAt = e.ReadTime("EffectiveAt"),
            PreviousQualityScore = e.ReadString("PreviousQualityScore"),
            NewQualityScore = e.ReadString("NewQualityScore"),
            OtherInfoTitle = e.ReadString("OtherInfoTitle"),
            OtherInfoDescription = e.ReadString("OtherInfoDescription"),
            DisableDate = e.ReadTime("DisableDate"),
            RejectionReason = e.ReadString("RejectionReason"),
            RejectionRecommendation = e.ReadString("RejectionRecommendation"),
            OccurredAt = e.ReadTime("OccurredAt")!.Value,
            ReceivedAt = e.ReadTime("ReceivedAt")!.Value,
            Source = EventSourceNames.FromStored(e.ReadString("Source")),
            // A listing selects no raw properties: the change is then left empty (see EventSummaryProperties).
            Raw = HasRaw(e) ? ReadRaw(e) : string.Empty,
        },
        CatalogApplied: e.ReadBool("CatalogApplied") ?? false,
        ProcessedAt: e.ReadTime("ProcessedAt")!.Value,
        RawBytes: e.ReadInt64("RawBytes"));

    private static bool HasRaw(TableEntity e) => e.ContainsKey("Raw") || e.ContainsKey("RawGzip") || e.ContainsKey("RawGzip__n");

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
        if (e.ReadString("Raw") is { } raw)
        {
            return raw;
        }

        var compressed = TableLargeProperty.GetBinary(e, "RawGzip") ?? [];
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
