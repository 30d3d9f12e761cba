using System.Text.Json;
using WebhookProcessor.Catalog;
using WebhookProcessor.Meta;
using WebhookProcessor.Processing;
using WebhookProcessor.UnitTests.Support;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.UnitTests.Processing;

/// <summary>Every webhook sample in Samples/meta, read by the envelope reader and parsed, field by field.</summary>
public sealed class TemplateEventParserSampleTests
{
    private const string DocsWaba = "102290129340398";
    private const string SynthWaba = "109876543210987";

    private static TemplateEvent ParseSample(string name) => Payloads.ParseSingle(SampleFiles.Bytes(name));

    [Fact]
    public void Parse_StatusApprovedSample_ReadsEveryField()
    {
        var e = ParseSample("status-approved.json");

        Assert.Equal(EventKind.Status, e.Kind);
        Assert.Equal(MetaFields.StatusUpdate, e.Field);
        Assert.Equal(DocsWaba, e.WabaId);
        Assert.Equal(1689556908129832L, e.TemplateId);
        Assert.Equal("order_confirmation", e.TemplateName);
        Assert.Equal("en_US", e.Language);
        Assert.Equal("APPROVED", e.Event);
        Assert.Equal("NONE", e.Reason);
        Assert.Equal("UTILITY", e.Category);
        Assert.Equal(new DateTimeOffset(2025, 6, 30, 1, 39, 8, TimeSpan.Zero), e.OccurredAt);
        Assert.Equal(Payloads.ReceivedAt, e.ReceivedAt);
        Assert.Null(e.OtherInfoTitle);
        Assert.Null(e.DisableDate);
        Assert.Null(e.RejectionReason);
        Assert.Null(e.PreviousCategory);
        Assert.Null(e.NewCategory);
        Assert.Null(e.EffectiveAt);
        Assert.Matches("^[0-9a-f]{32}$", e.EventId);
    }

    [Fact]
    public void Parse_DashboardTestSample_KeepsNullReasonAndNormalizesPortugueseLocale()
    {
        var e = ParseSample("status-approved-dashboard-test-sample.json");

        Assert.Equal(EventKind.Status, e.Kind);
        Assert.Equal("0", e.WabaId);
        Assert.Equal(12345678L, e.TemplateId);
        Assert.Equal("my_message_template", e.TemplateName);
        Assert.Equal("pt_BR", e.Language);
        Assert.Equal("APPROVED", e.Event);
        Assert.Null(e.Reason);
        Assert.Null(e.Category);
        Assert.Equal(new DateTimeOffset(2026, 6, 9, 10, 13, 20, TimeSpan.Zero), e.OccurredAt);
    }

    [Fact]
    public void Parse_StatusArchivedSample_ReadsArchivedMarketingEvent()
    {
        var e = ParseSample("status-archived.json");

        Assert.Equal(EventKind.Status, e.Kind);
        Assert.Equal(SynthWaba, e.WabaId);
        Assert.Equal(1166414785519855L, e.TemplateId);
        Assert.Equal("spring_promo_2025", e.TemplateName);
        Assert.Equal("en_US", e.Language);
        Assert.Equal("ARCHIVED", e.Event);
        Assert.Equal("NONE", e.Reason);
        Assert.Equal("MARKETING", e.Category);
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero), e.OccurredAt);
    }

    [Fact]
    public void Parse_StatusDisabledSample_ReadsDisableDate()
    {
        var e = ParseSample("status-disabled.json");

        Assert.Equal(EventKind.Status, e.Kind);
        Assert.Equal(1304694804498707L, e.TemplateId);
        Assert.Equal("summer_sale_announcement", e.TemplateName);
        Assert.Equal("DISABLED", e.Event);
        Assert.Equal("NONE", e.Reason);
        Assert.Equal("MARKETING", e.Category);
        Assert.Equal(new DateTimeOffset(2026, 6, 15, 0, 0, 0, TimeSpan.Zero), e.DisableDate);
        Assert.Equal(new DateTimeOffset(2026, 6, 15, 0, 0, 0, TimeSpan.Zero), e.OccurredAt);
    }

    [Fact]
    public void Parse_StatusFlaggedSample_ReadsFutureDisableDate()
    {
        var e = ParseSample("status-flagged.json");

        Assert.Equal(EventKind.Status, e.Kind);
        Assert.Equal(1304694804498707L, e.TemplateId);
        Assert.Equal("FLAGGED", e.Event);
        Assert.Equal("MARKETING", e.Category);
        Assert.Equal(new DateTimeOffset(2026, 6, 14, 0, 1, 40, TimeSpan.Zero), e.OccurredAt);
        Assert.Equal(new DateTimeOffset(2026, 6, 15, 0, 0, 0, TimeSpan.Zero), e.DisableDate);
        Assert.True(e.DisableDate > e.OccurredAt);
    }

    [Fact]
    public void Parse_FirstPauseSample_ReadsOtherInfo()
    {
        var e = ParseSample("status-paused-first-pause.json");

        Assert.Equal(EventKind.Status, e.Kind);
        Assert.Equal(1304694804498707L, e.TemplateId);
        Assert.Equal("PAUSED", e.Event);
        Assert.Equal("NONE", e.Reason);
        Assert.Equal("MARKETING", e.Category);
        Assert.Equal("FIRST_PAUSE", e.OtherInfoTitle);
        Assert.Equal(
            "Your WhatsApp message template has been paused for 3 hours until Jun 13 at 12:33 AM UTC because it had issues.",
            e.OtherInfoDescription);
        Assert.Equal(new DateTimeOffset(2026, 6, 12, 21, 33, 20, TimeSpan.Zero), e.OccurredAt);
        Assert.Null(e.DisableDate);
    }

    [Fact]
    public void Parse_SecondPauseSampleWithoutCategory_ReadsOtherInfoAndLeavesCategoryNull()
    {
        var e = ParseSample("status-paused-second-pause.json");

        Assert.Equal(EventKind.Status, e.Kind);
        Assert.Equal(1304694804498707L, e.TemplateId);
        Assert.Equal("summer_sale_announcement", e.TemplateName);
        Assert.Equal("en_US", e.Language);
        Assert.Equal("PAUSED", e.Event);
        Assert.Equal("NONE", e.Reason);
        Assert.Null(e.Category);
        Assert.Equal("SECOND_PAUSE", e.OtherInfoTitle);
        Assert.Equal(
            "Your WhatsApp message template has been paused for 6 hours until Jun 14 at 6:00 AM UTC because it continued to have issues.",
            e.OtherInfoDescription);
        Assert.Equal(new DateTimeOffset(2026, 6, 14, 0, 0, 0, TimeSpan.Zero), e.OccurredAt);
    }

    [Fact]
    public void Parse_UnpausedSample_IsApprovedWithUnpauseInfo()
    {
        var e = ParseSample("status-unpaused-approved.json");

        Assert.Equal(EventKind.Status, e.Kind);
        Assert.Equal(1304694804498707L, e.TemplateId);
        Assert.Equal("APPROVED", e.Event);
        Assert.Equal("MARKETING", e.Category);
        Assert.Equal("UNPAUSE", e.OtherInfoTitle);
        Assert.Equal("Your WhatsApp message template has been unpaused.", e.OtherInfoDescription);
        Assert.Equal(new DateTimeOffset(2026, 6, 13, 0, 36, 40, TimeSpan.Zero), e.OccurredAt);
    }

    [Fact]
    public void Parse_RejectedAbusiveContentSample_ReadsReasonWithoutRejectionInfo()
    {
        var e = ParseSample("status-rejected-abusive-content.json");

        Assert.Equal(EventKind.Status, e.Kind);
        Assert.Equal(2011584630917245L, e.TemplateId);
        Assert.Equal("overdue_final_notice", e.TemplateName);
        Assert.Equal("REJECTED", e.Event);
        Assert.Equal("ABUSIVE_CONTENT", e.Reason);
        Assert.Equal("UTILITY", e.Category);
        Assert.Null(e.RejectionReason);
        Assert.Null(e.RejectionRecommendation);
        Assert.Equal(new DateTimeOffset(2026, 6, 12, 3, 23, 20, TimeSpan.Zero), e.OccurredAt);
    }

    [Fact]
    public void Parse_RejectedIncorrectCategorySample_ReadsReason()
    {
        var e = ParseSample("status-rejected-incorrect-category.json");

        Assert.Equal(EventKind.Status, e.Kind);
        Assert.Equal(1943027755164203L, e.TemplateId);
        Assert.Equal("payment_reminder_v4", e.TemplateName);
        Assert.Equal("REJECTED", e.Event);
        Assert.Equal("INCORRECT_CATEGORY", e.Reason);
        Assert.Equal("UTILITY", e.Category);
        Assert.Equal(new DateTimeOffset(2026, 6, 12, 3, 22, 47, TimeSpan.Zero), e.OccurredAt);
    }

    [Fact]
    public void Parse_RejectedInvalidFormatSample_ReadsRejectionInfo()
    {
        var e = ParseSample("status-rejected-invalid-format.json");

        Assert.Equal(EventKind.Status, e.Kind);
        Assert.Equal(DocsWaba, e.WabaId);
        Assert.Equal(1689556908129835L, e.TemplateId);
        Assert.Equal("abandoned_cart", e.TemplateName);
        Assert.Equal("en", e.Language);
        Assert.Equal("REJECTED", e.Event);
        Assert.Equal("INVALID_FORMAT", e.Reason);
        Assert.Equal("MARKETING", e.Category);
        Assert.Equal(
            "Your template has parameters placed next to each other (like {{1}}{{2}}) without text or punctuation between them.",
            e.RejectionReason);
        Assert.Equal(
            "Separate parameters with descriptive text and ensure each parameter is clearly contextualized.",
            e.RejectionRecommendation);
        Assert.Equal(new DateTimeOffset(2025, 6, 30, 1, 39, 8, TimeSpan.Zero), e.OccurredAt);
    }

    [Fact]
    public void Parse_CategoryImpendingSample_PutsCurrentInCategoryAndTargetInNewCategory()
    {
        var e = ParseSample("category-update-impending.json");

        Assert.Equal(EventKind.CategoryChangePending, e.Kind);
        Assert.Equal(MetaFields.CategoryUpdate, e.Field);
        Assert.Equal(278077987957091L, e.TemplateId);
        Assert.Equal("welcome_template", e.TemplateName);
        Assert.Equal("en_US", e.Language);
        // The notice's new_category is the category the template has now.
        Assert.Equal("UTILITY", e.Category);
        Assert.Equal("MARKETING", e.NewCategory);
        Assert.Equal("MARKETING", e.CorrectCategory);
        Assert.Null(e.PreviousCategory);
        Assert.Equal(new DateTimeOffset(2025, 5, 2, 7, 0, 0, TimeSpan.Zero), e.EffectiveAt);
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 7, 0, 0, TimeSpan.Zero), e.OccurredAt);
        Assert.Null(e.Event);
    }

    [Fact]
    public void Parse_CategoryCompletedSample_PutsNewCategoryInCategoryAndNewCategory()
    {
        var e = ParseSample("category-update-completed.json");

        Assert.Equal(EventKind.CategoryChanged, e.Kind);
        Assert.Equal(278077987957091L, e.TemplateId);
        Assert.Equal("welcome_template", e.TemplateName);
        Assert.Equal("en_US", e.Language);
        Assert.Equal("UTILITY", e.PreviousCategory);
        Assert.Equal("MARKETING", e.NewCategory);
        Assert.Equal("MARKETING", e.Category);
        Assert.Null(e.CorrectCategory);
        Assert.Equal(new DateTimeOffset(2025, 5, 2, 7, 0, 0, TimeSpan.Zero), e.OccurredAt);
        Assert.Equal(e.OccurredAt, e.EffectiveAt);
    }

    [Fact]
    public void Parse_QualitySample_ReadsPreviousAndNewScores()
    {
        var e = ParseSample("quality-update.json");

        Assert.Equal(EventKind.Quality, e.Kind);
        Assert.Equal(MetaFields.QualityUpdate, e.Field);
        Assert.Equal(806312974732579L, e.TemplateId);
        Assert.Equal("welcome_template", e.TemplateName);
        Assert.Equal("en_US", e.Language);
        Assert.Equal("GREEN", e.PreviousQualityScore);
        Assert.Equal("YELLOW", e.NewQualityScore);
        Assert.Equal(new DateTimeOffset(2023, 1, 28, 0, 4, 50, TimeSpan.Zero), e.OccurredAt);
        Assert.Null(e.Event);
        Assert.Null(e.Category);
    }

    [Fact]
    public void Parse_ComponentsSample_ReadsTemplateIdentityAndKeepsComponentsInRaw()
    {
        var e = ParseSample("components-update.json");

        Assert.Equal(EventKind.Components, e.Kind);
        Assert.Equal(MetaFields.ComponentsUpdate, e.Field);
        Assert.Equal(1315502779341834L, e.TemplateId);
        Assert.Equal("order_confirmation", e.TemplateName);
        Assert.Equal("en_US", e.Language);
        Assert.Equal(new DateTimeOffset(2025, 6, 30, 2, 23, 54, TimeSpan.Zero), e.OccurredAt);
        Assert.Contains("\"message_template_button_phone_number\": \"+15550783881\"", e.Raw, StringComparison.Ordinal);
        Assert.Contains("https://www.luckyshrub.com/support", e.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ForwardCompatSample_KeepsUnknownFieldVerbatimAndParsesSibling()
    {
        var bytes = SampleFiles.Bytes("forward-compat-unknown-field.json");
        var batch = Payloads.Read(bytes);

        Assert.Empty(batch.DeadLetters);
        Assert.Equal(2, batch.Changes.Count);
        Assert.NotEqual(batch.Changes[0].EventId, batch.Changes[1].EventId);

        var unknown = TemplateEventParser.Parse(batch.Changes[0]);
        Assert.Equal(EventKind.Unknown, unknown.Kind);
        Assert.Equal("message_template_lifecycle_digest", unknown.Field);
        Assert.Equal(SynthWaba, unknown.WabaId);
        Assert.Equal(1304694804498707L, unknown.TemplateId);
        Assert.Equal("summer_sale_announcement", unknown.TemplateName);
        Assert.Equal("en_US", unknown.Language);
        Assert.Null(unknown.Event);
        Assert.Equal(new DateTimeOffset(2026, 7, 3, 17, 33, 20, TimeSpan.Zero), unknown.OccurredAt);

        // Raw is the very text of the change inside the body, indentation included.
        using var document = JsonDocument.Parse(bytes);
        var expectedRaw = document.RootElement.GetProperty("entry")[0].GetProperty("changes")[0].GetRawText();
        Assert.Equal(expectedRaw, unknown.Raw);
        Assert.Contains(unknown.Raw, SampleFiles.Text("forward-compat-unknown-field.json"), StringComparison.Ordinal);
        Assert.Contains("\"signals\": [\"LOW_READ_RATE\", \"BLOCKS_INCREASING\"]", unknown.Raw, StringComparison.Ordinal);

        var status = TemplateEventParser.Parse(batch.Changes[1]);
        Assert.Equal(EventKind.Status, status.Kind);
        Assert.Equal(1387372356726668L, status.TemplateId);
        Assert.Equal("reservation_confirmation", status.TemplateName);
        Assert.Equal("APPROVED", status.Event);
        Assert.Equal("NONE", status.Reason);
        Assert.Equal("UTILITY", status.Category);
    }

    [Fact]
    public void Read_EveryWebhookSample_ProducesOnlyGoodChanges()
    {
        var webhookSamples = Directory.GetFiles(Path.GetDirectoryName(SampleFiles.PathOf("x.json"))!, "*.json")
            .Select(Path.GetFileName)
            .Where(name => name != "graph-message-templates-list.json")
            .ToList();

        Assert.True(webhookSamples.Count >= 16, $"expected the 16 webhook samples, found {webhookSamples.Count}");
        foreach (var name in webhookSamples)
        {
            var batch = EnvelopeReader.Read(SampleFiles.Bytes(name!), Payloads.ReceivedAt);
            Assert.Empty(batch.DeadLetters);
            Assert.NotEmpty(batch.Changes);
            foreach (var message in batch.Changes)
            {
                var e = TemplateEventParser.Parse(message);
                Assert.NotNull(e.TemplateId);
                Assert.True(e.TemplateId > 0, name);
                Assert.DoesNotContain('-', e.Language ?? string.Empty);
            }
        }
    }
}
