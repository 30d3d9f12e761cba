using System.Text.Json;
using WebhookProcessor.Catalog;
using WebhookProcessor.Meta;
using WebhookProcessor.Ops;
using WebhookProcessor.Processing;

namespace WebhookProcessor.UnitTests.Ops;

public sealed class EventDtoTests
{
    private static readonly DateTimeOffset Occurred = new(2026, 6, 14, 0, 1, 40, TimeSpan.Zero);
    private static readonly DateTimeOffset Received = new(2026, 6, 14, 2, 1, 41, TimeSpan.FromHours(2));
    private static readonly DateTimeOffset Processed = new(2026, 6, 14, 0, 1, 42, TimeSpan.Zero);

    private static TemplateEvent Flagged(long? templateId) => new()
    {
        EventId = "0f0e0d0c0b0a09080706050403020100",
        WabaId = "109876543210987",
        Field = MetaFields.StatusUpdate,
        Kind = EventKind.Status,
        TemplateId = templateId,
        TemplateName = "summer_sale_announcement",
        Language = "en_US",
        Event = "FLAGGED",
        Reason = "NONE",
        Category = "MARKETING",
        DisableDate = new DateTimeOffset(2026, 6, 15, 0, 0, 0, TimeSpan.Zero),
        OtherInfoTitle = "FIRST_PAUSE",
        OccurredAt = Occurred,
        ReceivedAt = Received,
        Raw = """{"field":"message_template_status_update","value":{"message_template_id":9007199254740993}}""",
    };

    [Theory]
    [InlineData(1304694804498707L, "1304694804498707")]
    [InlineData(9007199254740993L, "9007199254740993")]
    [InlineData(long.MaxValue, "9223372036854775807")]
    public void From_TemplateId_IsExactString(long templateId, string expected)
    {
        var dto = EventDto.From(new StoredEvent(Flagged(templateId), CatalogApplied: true, Processed));

        Assert.Equal(expected, dto.TemplateId);
    }

    [Fact]
    public void From_NoTemplateId_IsNull()
    {
        var dto = EventDto.From(new StoredEvent(Flagged(null) with { Kind = EventKind.Unknown }, CatalogApplied: false, Processed));

        Assert.Null(dto.TemplateId);
        Assert.Equal("unknown", dto.Kind);
        Assert.False(dto.CatalogApplied);
    }

    [Fact]
    public void From_StoredEvent_MapsFieldsAndUtcTimes()
    {
        var dto = EventDto.From(new StoredEvent(Flagged(1304694804498707), CatalogApplied: true, Processed));

        Assert.Equal("0f0e0d0c0b0a09080706050403020100", dto.EventId);
        Assert.Equal("status", dto.Kind);
        Assert.Equal("FLAGGED", dto.Event);
        Assert.Equal("MARKETING", dto.Category);
        Assert.Equal(new InfoDto("FIRST_PAUSE", null), dto.OtherInfo);
        Assert.Null(dto.RejectionInfo);
        Assert.Equal(new DateTime(2026, 6, 15, 0, 0, 0, DateTimeKind.Utc), dto.DisableDate);
        Assert.Null(dto.EffectiveAt);
        Assert.Equal(new DateTime(2026, 6, 14, 0, 1, 41, DateTimeKind.Utc), dto.ReceivedAt);
        Assert.Equal(DateTimeKind.Utc, dto.ReceivedAt.Kind);
        Assert.Equal(Processed.UtcDateTime, dto.ProcessedAt);
        Assert.True(dto.CatalogApplied);
    }

    [Fact]
    public void Serialize_EventDto_WritesTemplateIdAsStringAndRawVerbatim()
    {
        var stored = new StoredEvent(Flagged(9007199254740993), CatalogApplied: true, Processed);
        var dto = EventDto.From(stored, stored.Event.Raw);

        var json = JsonSerializer.Serialize(dto, new JsonSerializerOptions(JsonSerializerDefaults.Web));

        Assert.Contains("\"templateId\":\"9007199254740993\"", json, StringComparison.Ordinal);
        Assert.Contains("\"raw\":{\"field\":\"message_template_status_update\",\"value\":{\"message_template_id\":9007199254740993}}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void From_ListedWithoutRaw_GivesItsSizeAndWhereToFetchIt()
    {
        var dto = EventDto.From(new StoredEvent(Flagged(1) with { EventId = "a/b c", Raw = string.Empty }, CatalogApplied: true, Processed, RawBytes: 1234));

        Assert.Null(dto.Raw);
        Assert.Equal(1234, dto.RawBytes);
        Assert.Equal("/api/events/a%2Fb%20c/raw", dto.RawUrl);
    }
}
