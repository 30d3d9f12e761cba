using WebhookProcessor.Catalog;
using WebhookProcessor.Meta;
using WebhookProcessor.Processing;
using WebhookProcessor.Queue;
using WebhookProcessor.UnitTests.Support;

namespace WebhookProcessor.UnitTests.Processing;

/// <summary>Shapes Meta documents (or has been seen to send) that the samples do not cover, and malformed changes.</summary>
public sealed class TemplateEventParserTests
{
    private const string Status = MetaFields.StatusUpdate;
    private const string Category = MetaFields.CategoryUpdate;

    private static string StatusValue(string extra = "") =>
        $$"""{"event":"APPROVED","message_template_id":1689556908129832,"message_template_name":"order_confirmation","message_template_language":"en_US"{{extra}}}""";

    // ---- batches ----

    [Fact]
    public void Parse_MultiEntryMultiChangeBatch_KeepsEveryChangeWithItsOwnEventId()
    {
        var body = Payloads.Envelope(
            Payloads.Entry(
                "111111111111111",
                1781000000,
                Payloads.Change(Status, """{"event":"APPROVED","message_template_id":1000000000000001,"message_template_name":"a","message_template_language":"en_US"}"""),
                Payloads.Change(Status, """{"event":"REJECTED","message_template_id":1000000000000002,"message_template_name":"b","message_template_language":"de","reason":"SCAM"}"""),
                Payloads.Change(MetaFields.QualityUpdate, """{"previous_quality_score":"GREEN","new_quality_score":"RED","message_template_id":1000000000000001,"message_template_name":"a","message_template_language":"en_US"}""")),
            Payloads.Entry(
                "222222222222222",
                1781000060,
                Payloads.Change(Status, """{"event":"PAUSED","message_template_id":2000000000000001,"message_template_name":"c","message_template_language":"fr_FR"}""")));

        var batch = Payloads.Read(body);

        Assert.Empty(batch.DeadLetters);
        Assert.Equal(4, batch.Changes.Count);
        Assert.Equal(4, batch.Changes.Select(c => c.EventId).Distinct().Count());

        var events = batch.Changes.Select(TemplateEventParser.Parse).ToList();
        Assert.Equal([1000000000000001L, 1000000000000002L, 1000000000000001L, 2000000000000001L], events.Select(e => e.TemplateId!.Value));
        Assert.Equal(["APPROVED", "REJECTED", null, "PAUSED"], events.Select(e => e.Event));
        Assert.Equal([EventKind.Status, EventKind.Status, EventKind.Quality, EventKind.Status], events.Select(e => e.Kind));
        Assert.Equal(["111111111111111", "111111111111111", "111111111111111", "222222222222222"], events.Select(e => e.WabaId));
        Assert.Equal("SCAM", events[1].Reason);
        Assert.Equal("RED", events[2].NewQualityScore);
        Assert.Equal(new DateTimeOffset(2026, 6, 9, 10, 13, 20, TimeSpan.Zero), events[0].OccurredAt);
        Assert.Equal(new DateTimeOffset(2026, 6, 9, 10, 14, 20, TimeSpan.Zero), events[3].OccurredAt);
        Assert.Equal(batch.Changes.Select(c => c.EventId), events.Select(e => e.EventId));
    }

    // ---- languages ----

    [Theory]
    [InlineData("en-US", "en_US")]
    [InlineData("en_US", "en_US")]
    [InlineData("pt-BR", "pt_BR")]
    [InlineData("zh-Hant-HK", "zh_Hant_HK")]
    [InlineData("en", "en")]
    [InlineData(" es-MX ", "es_MX")]
    public void Parse_LanguageCode_UsesUnderscoreForm(string language, string expected)
    {
        var e = Payloads.ParseValue(Status, $$"""{"event":"APPROVED","message_template_id":1,"message_template_language":"{{language}}"}""");

        Assert.Equal(expected, e.Language);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData("en-GB", "en_GB")]
    public void NormalizeLanguage_Input_ReturnsUnderscoreFormOrNull(string? language, string? expected)
    {
        Assert.Equal(expected, TemplateEventParser.NormalizeLanguage(language));
    }

    // ---- template ids ----

    [Theory]
    [InlineData("1689556908129832", 1689556908129832L)]
    [InlineData("9007199254740993", 9007199254740993L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("9223372036854775806", 9223372036854775806L)]
    [InlineData("1", 1L)]
    public void Parse_LargeNumericTemplateId_IsExactInt64(string idText, long expected)
    {
        var e = Payloads.ParseValue(Status, $$"""{"event":"APPROVED","message_template_id":{{idText}},"message_template_name":"n","message_template_language":"en_US"}""");

        Assert.Equal(expected, e.TemplateId);
    }

    [Fact]
    public void Parse_IdJustAboveDoublePrecision_IsNotRoundedToNeighbour()
    {
        // 2^53 + 1 has no double; a double round trip would give 9007199254740992.
        var e = Payloads.ParseValue(Status, """{"event":"APPROVED","message_template_id":9007199254740993}""");

        Assert.Equal(9007199254740993L, e.TemplateId);
        Assert.NotEqual(9007199254740992L, e.TemplateId);
    }

    [Theory]
    [InlineData("\"1689556908129832\"", 1689556908129832L)]
    [InlineData("\"9007199254740993\"", 9007199254740993L)]
    [InlineData("\"9223372036854775807\"", long.MaxValue)]
    public void Parse_TemplateIdAsNumericString_IsParsedAsInt64(string idJson, long expected)
    {
        var e = Payloads.ParseValue(Status, $$"""{"event":"APPROVED","message_template_id":{{idJson}},"message_template_name":"n","message_template_language":"en_US"}""");

        Assert.Equal(expected, e.TemplateId);
    }

    // ---- optional, null and unknown values ----

    [Fact]
    public void Parse_StatusWithOnlyRequiredKeys_LeavesOptionalFieldsNull()
    {
        var e = Payloads.ParseValue(Status, """{"event":"PAUSED","message_template_id":1315502779341834,"message_template_name":"direct_send_1","message_template_language":"en_US"}""");

        Assert.Equal(EventKind.Status, e.Kind);
        Assert.Equal("PAUSED", e.Event);
        Assert.Equal(1315502779341834L, e.TemplateId);
        Assert.Equal("direct_send_1", e.TemplateName);
        Assert.Equal("en_US", e.Language);
        Assert.Null(e.Reason);
        Assert.Null(e.Category);
        Assert.Null(e.OtherInfoTitle);
        Assert.Null(e.OtherInfoDescription);
        Assert.Null(e.DisableDate);
        Assert.Null(e.RejectionReason);
        Assert.Null(e.RejectionRecommendation);
        Assert.Equal(Payloads.EntryMoment, e.OccurredAt);
    }

    [Fact]
    public void Parse_StatusWithoutNameOrLanguage_KeepsThemNull()
    {
        var e = Payloads.ParseValue(Status, """{"event":"DELETED","message_template_id":42}""");

        Assert.Equal(42L, e.TemplateId);
        Assert.Equal("DELETED", e.Event);
        Assert.Null(e.TemplateName);
        Assert.Null(e.Language);
    }

    [Fact]
    public void Parse_ReasonNull_ReasonIsNull()
    {
        var e = Payloads.ParseValue(Status, StatusValue(""","reason":null,"message_template_category":"UTILITY" """));

        Assert.Null(e.Reason);
        Assert.Equal("UTILITY", e.Category);
        Assert.Equal("APPROVED", e.Event);
    }

    [Fact]
    public void Parse_ReasonEmptyString_ReasonIsNull()
    {
        var e = Payloads.ParseValue(Status, StatusValue(""","reason":"" """));

        Assert.Null(e.Reason);
    }

    [Fact]
    public void Parse_ReasonAsNumber_KeepsItsJsonText()
    {
        var e = Payloads.ParseValue(Status, StatusValue(""","reason":17"""));

        Assert.Equal("17", e.Reason);
    }

    [Theory]
    [InlineData("SOMETHING_NEW")]
    [InlineData("UNPAUSED")]
    [InlineData("PENDING_DELETION")]
    public void Parse_UnlistedOrRareEventValue_IsKeptVerbatim(string eventValue)
    {
        var e = Payloads.ParseValue(Status, $$"""{"event":"{{eventValue}}","message_template_id":77,"reason":"BRAND_NEW_REASON"}""");

        Assert.Equal(EventKind.Status, e.Kind);
        Assert.Equal(eventValue, e.Event);
        Assert.Equal("BRAND_NEW_REASON", e.Reason);
    }

    [Fact]
    public void Parse_StatusWithExtraUnknownKeys_StillParsesAndKeepsThemInRaw()
    {
        var e = Payloads.ParseValue(Status, StatusValue(""","future_flag":{"nested":[1,2,3]}"""));

        Assert.Equal("APPROVED", e.Event);
        Assert.Contains("\"future_flag\":{\"nested\":[1,2,3]}", e.Raw, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1751234563")]
    [InlineData("\"1751234563\"")]
    public void Parse_DisableDateAsNumberOrNumericString_IsReadAsUnixSeconds(string disableDateJson)
    {
        var e = Payloads.ParseValue(Status, StatusValue($$""","disable_info":{"disable_date":{{disableDateJson}}}"""));

        Assert.Equal(new DateTimeOffset(2025, 6, 29, 22, 2, 43, TimeSpan.Zero), e.DisableDate);
    }

    [Fact]
    public void Parse_DisableDateNull_DisableDateIsNull()
    {
        var e = Payloads.ParseValue(Status, StatusValue(""","disable_info":{"disable_date":null}"""));

        Assert.Null(e.DisableDate);
    }

    [Fact]
    public void Parse_OtherInfoNotAnObject_IsIgnored()
    {
        var e = Payloads.ParseValue(Status, StatusValue(""","other_info":"FIRST_PAUSE","rejection_info":[1]"""));

        Assert.Equal("APPROVED", e.Event);
        Assert.Null(e.OtherInfoTitle);
        Assert.Null(e.OtherInfoDescription);
        Assert.Null(e.RejectionReason);
    }

    [Fact]
    public void Parse_EscapedUnicodeAndLiteralUnicode_DecodeToSameText()
    {
        var escaped = Payloads.ParseValue(Status, """{"event":"REJECTED","message_template_id":5,"message_template_name":"caf\u00e9_promo","rejection_info":{"reason":"Bad \u201cquote\u201d \/ slash","recommendation":"\u00c9crire"}}""");
        var literal = Payloads.ParseValue(Status, """{"event":"REJECTED","message_template_id":5,"message_template_name":"café_promo","rejection_info":{"reason":"Bad “quote” / slash","recommendation":"Écrire"}}""");

        Assert.Equal("café_promo", escaped.TemplateName);
        Assert.Equal("Bad “quote” / slash", escaped.RejectionReason);
        Assert.Equal("Écrire", escaped.RejectionRecommendation);
        Assert.Equal(literal.TemplateName, escaped.TemplateName);
        Assert.Equal(literal.RejectionReason, escaped.RejectionReason);
        Assert.Equal(literal.RejectionRecommendation, escaped.RejectionRecommendation);
        // Raw keeps what Meta sent, escapes included.
        Assert.Contains("caf\\u00e9_promo", escaped.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EntryWithoutTime_OccurredAtIsReceiptTime()
    {
        var body = Payloads.Envelope(Payloads.Entry(Payloads.WabaId, null, Payloads.Change(Status, StatusValue())));

        var batch = Payloads.Read(body);
        var message = Assert.Single(batch.Changes);
        var e = TemplateEventParser.Parse(message);

        Assert.Null(message.EntryTime);
        Assert.Equal(Payloads.ReceivedAt, e.OccurredAt);
        Assert.Equal(Payloads.ReceivedAt, e.ReceivedAt);
        Assert.Equal(1689556908129832L, e.TemplateId);
    }

    [Fact]
    public void Parse_EntryTimeNull_OccurredAtIsReceiptTime()
    {
        var body = $$"""{"object":"whatsapp_business_account","entry":[{"id":"5","time":null,"changes":[{{Payloads.Change(Status, StatusValue())}}]}]}""";

        var e = Payloads.ParseSingle(body);

        Assert.Equal(Payloads.ReceivedAt, e.OccurredAt);
    }

    [Fact]
    public void Parse_Always_CopiesQueueMessageIdentity()
    {
        var message = new ChangeMessage("feedfacefeedfacefeedfacefeedface", "987", Status, 1781000000, Payloads.ReceivedAt, Payloads.Change(Status, StatusValue()));

        var e = TemplateEventParser.Parse(message);

        Assert.Equal("feedfacefeedfacefeedfacefeedface", e.EventId);
        Assert.Equal("987", e.WabaId);
        Assert.Equal(Status, e.Field);
        Assert.Equal(message.Change, e.Raw);
        Assert.Equal(new DateTimeOffset(2026, 6, 9, 10, 13, 20, TimeSpan.Zero), e.OccurredAt);
        Assert.Equal(Payloads.ReceivedAt, e.ReceivedAt);
    }

    // ---- template_category_update ----

    [Fact]
    public void Parse_DashboardCategoryTestSample_IsCompletedChange()
    {
        // The dashboard "Test" button mixes both variants and adds category_appeal_status.
        var e = Payloads.ParseValue(Category, """
            {"message_template_id":12345678,"message_template_name":"my_message_template","message_template_language":"en_US",
             "previous_category":"UTILITY","new_category":"MARKETING","correct_category":"MARKETING","category_appeal_status":"ELIGIBLE"}
            """);

        Assert.Equal(EventKind.CategoryChanged, e.Kind);
        Assert.Equal(12345678L, e.TemplateId);
        Assert.Equal("UTILITY", e.PreviousCategory);
        Assert.Equal("MARKETING", e.NewCategory);
        Assert.Equal("MARKETING", e.Category);
        Assert.Equal("MARKETING", e.CorrectCategory);
        Assert.Equal(Payloads.EntryMoment, e.EffectiveAt);
        Assert.Contains("category_appeal_status", e.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CompletedChangeWithoutPreviousCategory_IsCompletedChangeWithNullPrevious()
    {
        var e = Payloads.ParseValue(Category, """{"message_template_id":1563912508540305,"message_template_name":"x","message_template_language":"pt_BR","new_category":"UTILITY"}""");

        Assert.Equal(EventKind.CategoryChanged, e.Kind);
        Assert.Null(e.PreviousCategory);
        Assert.Equal("UTILITY", e.NewCategory);
        Assert.Equal("UTILITY", e.Category);
        Assert.Equal(Payloads.EntryMoment, e.EffectiveAt);
    }

    [Theory]
    [InlineData(1765792800L, 2026, 1)] // 2025-12-15 10:00 UTC: December rolls into January of the next year
    [InlineData(1767225599L, 2026, 1)] // 2025-12-31 23:59:59 UTC
    [InlineData(1769903999L, 2026, 2)] // 2026-01-31 23:59:59 UTC
    [InlineData(1709208000L, 2024, 3)] // 2024-02-29 12:00 UTC (leap day)
    [InlineData(1748736000L, 2025, 7)] // 2025-06-01 00:00 UTC: the first of a month still moves to the next one
    public void Parse_NoticeWithoutTimestamp_EffectiveAtIsFirstOfNextMonthUtc(long entryTime, int year, int month)
    {
        var body = Payloads.Envelope(Payloads.Entry(
            Payloads.WabaId,
            entryTime,
            Payloads.Change(Category, """{"message_template_id":278077987957091,"message_template_name":"welcome_template","message_template_language":"en_US","new_category":"UTILITY","correct_category":"MARKETING"}""")));

        var e = Payloads.ParseSingle(body);

        Assert.Equal(EventKind.CategoryChangePending, e.Kind);
        Assert.Equal("UTILITY", e.Category);
        Assert.Equal("MARKETING", e.NewCategory);
        Assert.Equal("MARKETING", e.CorrectCategory);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(entryTime), e.OccurredAt);
        Assert.Equal(new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero), e.EffectiveAt);
    }

    [Fact]
    public void Parse_NoticeWithoutTimestampOrEntryTime_EffectiveAtFollowsReceiptMonth()
    {
        var body = Payloads.Envelope(Payloads.Entry(
            Payloads.WabaId,
            null,
            Payloads.Change(Category, """{"message_template_id":5,"new_category":"MARKETING","correct_category":"AUTHENTICATION"}""")));

        var e = Payloads.ParseSingle(body);

        Assert.Equal(EventKind.CategoryChangePending, e.Kind);
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), e.EffectiveAt);
    }

    [Fact]
    public void Parse_NoticeWithTimestampButNoCorrectCategory_IsPendingWithoutTarget()
    {
        var e = Payloads.ParseValue(Category, """{"message_template_id":5,"new_category":"UTILITY","category_update_timestamp":"1746169200"}""");

        Assert.Equal(EventKind.CategoryChangePending, e.Kind);
        Assert.Equal("UTILITY", e.Category);
        Assert.Null(e.NewCategory);
        Assert.Null(e.CorrectCategory);
        Assert.Equal(new DateTimeOffset(2025, 5, 2, 7, 0, 0, TimeSpan.Zero), e.EffectiveAt);
    }

    [Theory]
    [InlineData(2025, 12, 31, 23, 30, 0)]
    [InlineData(2025, 12, 1, 0, 0, 0)]
    public void FirstDayOfNextMonth_DecemberUtc_ReturnsJanuaryFirstOfNextYear(int y, int mo, int d, int h, int mi, int s)
    {
        var result = TemplateEventParser.FirstDayOfNextMonth(new DateTimeOffset(y, mo, d, h, mi, s, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), result);
        Assert.Equal(TimeSpan.Zero, result.Offset);
    }

    [Fact]
    public void FirstDayOfNextMonth_LocalOffsetAlreadyNextMonthInUtc_UsesUtcMonth()
    {
        // 2025-12-31 23:30 at UTC-2 is 2026-01-01 01:30 UTC.
        var result = TemplateEventParser.FirstDayOfNextMonth(new DateTimeOffset(2025, 12, 31, 23, 30, 0, TimeSpan.FromHours(-2)));

        Assert.Equal(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), result);
    }

    // ---- other fields ----

    [Theory]
    [InlineData("YELLOW", "RED")]
    [InlineData("UNKNOWN", "GREEN")]
    public void Parse_QualityUpdate_ReadsScores(string previous, string next)
    {
        var e = Payloads.ParseValue(MetaFields.QualityUpdate, $$"""{"previous_quality_score":"{{previous}}","new_quality_score":"{{next}}","message_template_id":806312974732579,"message_template_name":"welcome_template","message_template_language":"en-US"}""");

        Assert.Equal(EventKind.Quality, e.Kind);
        Assert.Equal(806312974732579L, e.TemplateId);
        Assert.Equal("en_US", e.Language);
        Assert.Equal(previous, e.PreviousQualityScore);
        Assert.Equal(next, e.NewQualityScore);
    }

    [Fact]
    public void Parse_MinimalComponentsUpdate_IsComponentsKind()
    {
        var e = Payloads.ParseValue(MetaFields.ComponentsUpdate, """{"message_template_id":1315502779341834,"message_template_name":"order_confirmation","message_template_language":"en-US","message_template_element":"Hi {{1}}"}""");

        Assert.Equal(EventKind.Components, e.Kind);
        Assert.Equal(1315502779341834L, e.TemplateId);
        Assert.Equal("order_confirmation", e.TemplateName);
        Assert.Equal("en_US", e.Language);
        Assert.Null(e.Event);
        Assert.Null(e.Category);
    }

    [Fact]
    public void Parse_CorrectCategoryDetection_ReadsCategoryAndCorrectCategory()
    {
        var e = Payloads.ParseValue(MetaFields.CorrectCategoryDetection, """{"message_template_id":1943027755164201,"message_template_name":"payment_reminder_v3","message_template_language":"en_US","category":"UTILITY","correct_category":"MARKETING"}""");

        Assert.Equal(EventKind.CorrectCategoryDetected, e.Kind);
        Assert.Equal(MetaFields.CorrectCategoryDetection, e.Field);
        Assert.Equal(1943027755164201L, e.TemplateId);
        Assert.Equal("payment_reminder_v3", e.TemplateName);
        Assert.Equal("UTILITY", e.Category);
        Assert.Equal("MARKETING", e.CorrectCategory);
        Assert.Null(e.NewCategory);
        Assert.Null(e.EffectiveAt);
    }

    // ---- unknown fields never throw ----

    [Theory]
    [InlineData("[1,2,3]")]
    [InlineData("\"just text\"")]
    [InlineData("12.5")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("""{"message_template_id":"not-a-number","message_template_name":7}""")]
    [InlineData("""{"message_template_id":-3}""")]
    public void Parse_UnknownFieldWithOddValue_IsUnknownWithoutTemplate(string valueJson)
    {
        var message = Payloads.Message("account_alerts", valueJson);

        var e = TemplateEventParser.Parse(message);

        Assert.Equal(EventKind.Unknown, e.Kind);
        Assert.Equal("account_alerts", e.Field);
        Assert.Null(e.TemplateId);
        Assert.Null(e.TemplateName);
        Assert.Equal(message.Change, e.Raw);
    }

    [Fact]
    public void Parse_UnknownFieldWithTemplateKeys_ReadsThemBestEffort()
    {
        var e = TemplateEventParser.Parse(Payloads.Message("template_future_thing", """{"message_template_id":"9007199254740993","message_template_name":"n","message_template_language":"pt-BR"}"""));

        Assert.Equal(EventKind.Unknown, e.Kind);
        Assert.Equal(9007199254740993L, e.TemplateId);
        Assert.Equal("n", e.TemplateName);
        Assert.Equal("pt_BR", e.Language);
    }

    // ---- malformed changes ----

    [Theory]
    [InlineData(MetaFields.StatusUpdate)]
    [InlineData(MetaFields.CategoryUpdate)]
    [InlineData(MetaFields.QualityUpdate)]
    [InlineData(MetaFields.ComponentsUpdate)]
    [InlineData(MetaFields.CorrectCategoryDetection)]
    public void Parse_KnownFieldWithoutTemplateId_ThrowsMalformed(string field)
    {
        var message = Payloads.Message(field, """{"event":"APPROVED","message_template_name":"n","message_template_language":"en_US"}""");

        var ex = Assert.Throws<MalformedChangeException>(() => TemplateEventParser.Parse(message));
        Assert.Contains("message_template_id", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("\"\"")]
    [InlineData("\"-5\"")]
    [InlineData("\" 12\"")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("9223372036854775808")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("[1]")]
    [InlineData("{\"id\":1}")]
    public void Parse_StatusWithUnusableTemplateId_ThrowsMalformed(string idJson)
    {
        var message = Payloads.Message(Status, $$"""{"event":"APPROVED","message_template_id":{{idJson}}}""");

        var ex = Assert.Throws<MalformedChangeException>(() => TemplateEventParser.Parse(message));
        Assert.Contains("positive 64-bit integer", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MetaFields.StatusUpdate, "[]")]
    [InlineData(MetaFields.StatusUpdate, "\"APPROVED\"")]
    [InlineData(MetaFields.CategoryUpdate, "42")]
    [InlineData(MetaFields.QualityUpdate, "null")]
    [InlineData(MetaFields.ComponentsUpdate, "false")]
    [InlineData(MetaFields.CorrectCategoryDetection, "[{\"message_template_id\":1}]")]
    public void Parse_KnownFieldWithNonObjectValue_ThrowsMalformed(string field, string valueJson)
    {
        var message = Payloads.Message(field, valueJson);

        var ex = Assert.Throws<MalformedChangeException>(() => TemplateEventParser.Parse(message));
        Assert.Contains("not an object", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_QueuedChangeNotJson_ThrowsMalformed()
    {
        var message = new ChangeMessage("id", "1", Status, 1, Payloads.ReceivedAt, "{\"field\":");

        var ex = Assert.Throws<MalformedChangeException>(() => TemplateEventParser.Parse(message));
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_QueuedChangeWithoutValue_ThrowsMalformed()
    {
        var message = new ChangeMessage("id", "1", Status, 1, Payloads.ReceivedAt, """{"field":"message_template_status_update"}""");

        var ex = Assert.Throws<MalformedChangeException>(() => TemplateEventParser.Parse(message));
        Assert.Contains("no \"value\"", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"soon\"")]
    [InlineData("\"\"")]
    [InlineData("1.5")]
    [InlineData("true")]
    public void Parse_DisableDateNotUnixSeconds_ThrowsMalformed(string disableDateJson)
    {
        var message = Payloads.Message(Status, StatusValue($$""","disable_info":{"disable_date":{{disableDateJson}}}"""));

        var ex = Assert.Throws<MalformedChangeException>(() => TemplateEventParser.Parse(message));
        Assert.Contains("disable_date", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CategoryTimestampNotNumeric_ThrowsMalformed()
    {
        var message = Payloads.Message(Category, """{"message_template_id":5,"new_category":"UTILITY","correct_category":"MARKETING","category_update_timestamp":"tomorrow"}""");

        var ex = Assert.Throws<MalformedChangeException>(() => TemplateEventParser.Parse(message));
        Assert.Contains("category_update_timestamp", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EntryTimeBeyondAnyDate_ThrowsMalformed()
    {
        var message = Payloads.Message(Status, StatusValue(), entryTime: long.MaxValue);

        var ex = Assert.Throws<MalformedChangeException>(() => TemplateEventParser.Parse(message));
        Assert.Contains("entry.time", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_KnownFieldWithUndecodableText_IsMalformed()
    {
        var message = Payloads.Message(MetaFields.StatusUpdate, """{"event":"\ud800","message_template_id":5}""");

        var ex = Assert.Throws<MalformedChangeException>(() => TemplateEventParser.Parse(message));

        Assert.Contains("cannot be decoded", ex.Message, StringComparison.Ordinal);
    }

    // ---- values the model cannot hold ----

    [Fact]
    public void Parse_CategoryNoticeAtEndOfCalendarWithoutTimestamp_IsMalformedNamingTheTime()
    {
        // 9999-12-31T23:59:59Z: representable, but the first day of the next month is not.
        var message = Message(Category, """{"message_template_id":1,"message_template_name":"t","message_template_language":"en_US","new_category":"MARKETING","correct_category":"UTILITY"}""", entryTime: 253402300799);

        var ex = Assert.Throws<MalformedChangeException>(() => TemplateEventParser.Parse(message));

        Assert.Contains("entry.time", ex.Message, StringComparison.Ordinal);
        Assert.Contains("253402300799", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CategoryUpdateTimestampAtEndOfCalendar_IsMalformedNamingTheField()
    {
        var message = Message(Category, """{"message_template_id":1,"message_template_name":"t","message_template_language":"en_US","new_category":"MARKETING","correct_category":"UTILITY","category_update_timestamp":253402300799}""", entryTime: 1781000000);

        var ex = Assert.Throws<MalformedChangeException>(() => TemplateEventParser.Parse(message));

        Assert.Contains("category_update_timestamp", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MetaFields.StatusUpdate)]
    [InlineData("some_future_field")]
    public void Parse_TemplateNameLongerThanMetaAllows_IsMalformed(string field)
    {
        var longest = new string('n', TemplateEventParser.MaxTemplateNameLength);
        Assert.Equal(longest, TemplateEventParser.Parse(Message(field, $$"""{"event":"APPROVED","message_template_id":1,"message_template_name":"{{longest}}"}""", 1781000000)).TemplateName);
        var name = longest + "n";

        var ex = Assert.Throws<MalformedChangeException>(() => TemplateEventParser.Parse(Message(field, $$"""{"event":"APPROVED","message_template_id":1,"message_template_name":"{{name}}"}""", 1781000000)));

        Assert.Contains("message_template_name", ex.Message, StringComparison.Ordinal);
        Assert.Contains("513", ex.Message, StringComparison.Ordinal);
    }

    private static ChangeMessage Message(string field, string valueJson, long? entryTime) =>
        new("event-1", Payloads.WabaId, field, entryTime, Payloads.ReceivedAt, Payloads.Change(field, valueJson));
}
