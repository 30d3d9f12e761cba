using System.Text;
using System.Text.Json;
using WebhookProcessor.Meta;
using WebhookProcessor.Processing;
using WebhookProcessor.Queue;
using WebhookProcessor.UnitTests.Support;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.UnitTests.Webhooks;

public sealed class EnvelopeReaderTests
{
    private static readonly string GoodChange =
        Payloads.Change(MetaFields.StatusUpdate, """{"event":"APPROVED","message_template_id":1689556908129832,"message_template_name":"order_confirmation","message_template_language":"en_US"}""");

    private static readonly string OtherGoodChange =
        Payloads.Change(MetaFields.StatusUpdate, """{"event":"PAUSED","message_template_id":1304694804498707,"message_template_name":"summer_sale_announcement","message_template_language":"en_US"}""");

    private static DeadLetter AssertSingleBodyDeadLetter(byte[] body, string reasonFragment)
    {
        var batch = Payloads.Read(body);

        Assert.Empty(batch.Changes);
        var dead = Assert.Single(batch.DeadLetters);
        Assert.Equal(DeadLetterSource.Intake, dead.Source);
        Assert.Equal(body, dead.Body);
        Assert.Contains(reasonFragment, dead.Reason, StringComparison.Ordinal);
        Assert.Null(dead.MessageId);
        Assert.Null(dead.WabaId);
        Assert.Null(dead.Field);
        Assert.Equal(0, dead.DeliveryCount);
        Assert.Equal(Payloads.ReceivedAt, dead.ReceivedAt);
        Assert.Equal(Payloads.ReceivedAt, dead.DeadLetteredAt);
        return dead;
    }

    // ---- good input ----

    [Fact]
    public void Read_StatusApprovedSample_ProducesOneMessageWithEntryData()
    {
        var bytes = SampleFiles.Bytes("status-approved.json");

        var batch = Payloads.Read(bytes);

        Assert.Empty(batch.DeadLetters);
        var message = Assert.Single(batch.Changes);
        Assert.Equal("102290129340398", message.WabaId);
        Assert.Equal(MetaFields.StatusUpdate, message.Field);
        Assert.Equal(1751247548L, message.EntryTime);
        Assert.Equal(Payloads.ReceivedAt, message.ReceivedAt);
        Assert.Matches("^[0-9a-f]{32}$", message.EventId);
        using var document = JsonDocument.Parse(bytes);
        var change = document.RootElement.GetProperty("entry")[0].GetProperty("changes")[0];
        Assert.Equal(change.GetRawText(), message.Change);
        Assert.Equal(EventIdentity.Compute("102290129340398", MetaFields.StatusUpdate, 1751247548, change.GetProperty("value")), message.EventId);
    }

    [Fact]
    public void Read_ObjectAfterEntry_IsAccepted()
    {
        var body = $$"""{"entry":[{"id":"1","time":5,"changes":[{{GoodChange}}]}],"object":"whatsapp_business_account"}""";

        var batch = Payloads.Read(body);

        Assert.Empty(batch.DeadLetters);
        Assert.Equal("1", Assert.Single(batch.Changes).WabaId);
    }

    [Fact]
    public void Read_NumericEntryId_KeepsItsDigits()
    {
        var body = $$"""{"object":"whatsapp_business_account","entry":[{"id":109876543210987,"time":5,"changes":[{{GoodChange}}]}]}""";

        var message = Assert.Single(Payloads.Read(body).Changes);

        Assert.Equal("109876543210987", message.WabaId);
    }

    [Fact]
    public void Read_SameChangeTwiceInOneBatch_GivesSameEventIdToBoth()
    {
        var body = Payloads.Body(GoodChange, GoodChange);

        var batch = Payloads.Read(body);

        Assert.Empty(batch.DeadLetters);
        Assert.Equal(2, batch.Changes.Count);
        Assert.Equal(batch.Changes[0].EventId, batch.Changes[1].EventId);
    }

    [Fact]
    public void Read_SameChangeInTwoEntriesWithDifferentTimes_GivesDifferentEventIds()
    {
        var body = Payloads.Envelope(
            Payloads.Entry(Payloads.WabaId, 1781000000, GoodChange),
            Payloads.Entry(Payloads.WabaId, 1781000001, GoodChange));

        var batch = Payloads.Read(body);

        Assert.Equal(2, batch.Changes.Count);
        Assert.NotEqual(batch.Changes[0].EventId, batch.Changes[1].EventId);
    }

    [Fact]
    public void Read_EntryWithEmptyChanges_ProducesNothing()
    {
        var batch = Payloads.Read(Payloads.Body());

        Assert.Empty(batch.Changes);
        Assert.Empty(batch.DeadLetters);
    }

    // ---- whole body dead letters ----

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[")]
    [InlineData("")]
    public void Read_BodyNotJson_IsOneDeadLetter(string text)
    {
        AssertSingleBodyDeadLetter(Encoding.UTF8.GetBytes(text), "not valid JSON");
    }

    [Fact]
    public void Read_BodyInvalidUtf8_IsOneDeadLetterWithExactBytes()
    {
        byte[] body = [0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D, 0xFF];

        AssertSingleBodyDeadLetter(body, "not valid JSON");
    }

    [Theory]
    [InlineData("[]", "array")]
    [InlineData("[{\"object\":\"whatsapp_business_account\"}]", "array")]
    [InlineData("\"whatsapp_business_account\"", "string")]
    [InlineData("42", "number")]
    [InlineData("true", "boolean")]
    [InlineData("null", "null")]
    public void Read_BodyNotAnObject_IsOneDeadLetterNamingTheKind(string text, string kind)
    {
        AssertSingleBodyDeadLetter(Encoding.UTF8.GetBytes(text), $"The body is a JSON {kind}, not an object.");
    }

    [Theory]
    [InlineData("""{"object":"page","entry":[]}""", "\"object\" is \"page\"")]
    [InlineData("""{"object":"WHATSAPP_BUSINESS_ACCOUNT","entry":[]}""", "\"object\" is \"WHATSAPP_BUSINESS_ACCOUNT\"")]
    [InlineData("""{"object":7,"entry":[]}""", "\"object\" is 7")]
    [InlineData("""{"entry":[]}""", "\"object\" is absent")]
    public void Read_WrongObject_IsOneDeadLetterNamingWhatWasSeen(string text, string reasonFragment)
    {
        var dead = AssertSingleBodyDeadLetter(Encoding.UTF8.GetBytes(text), reasonFragment);

        Assert.Contains("whatsapp_business_account", dead.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"object":"whatsapp_business_account"}""")]
    [InlineData("""{"object":"whatsapp_business_account","entry":[]}""")]
    [InlineData("""{"object":"whatsapp_business_account","entry":{}}""")]
    [InlineData("""{"object":"whatsapp_business_account","entry":null}""")]
    public void Read_MissingOrEmptyEntry_IsOneDeadLetter(string text)
    {
        AssertSingleBodyDeadLetter(Encoding.UTF8.GetBytes(text), "\"entry\" is missing, not an array, or empty.");
    }

    [Fact]
    public void Read_DeepBody_RefusedWhenValidDeadLetteredWhenNotJson()
    {
        var deep = new string('[', 300) + new string(']', 300);
        var text = $$"""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"x","value":{{deep}}}]}]}""";

        var ex = Assert.Throws<BodyTooDeepException>(() => Payloads.Read(text));
        Assert.Contains(JsonLimits.MaxDepth.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        AssertSingleBodyDeadLetter(Encoding.UTF8.GetBytes(new string('[', 300) + "}"), "not valid JSON");
    }

    [Fact]
    public void Read_AtAndPastDepthLimit_AcceptsAndParsesTheLimitRefusesOneMore()
    {
        var batch = Payloads.Read(BodyOfDepth(JsonLimits.MaxDepth));
        Assert.Empty(batch.DeadLetters);
        var change = Assert.Single(batch.Changes);
        Assert.Equal(1689556908129832, TemplateEventParser.Parse(change).TemplateId);

        Assert.Throws<BodyTooDeepException>(() => Payloads.Read(BodyOfDepth(JsonLimits.MaxDepth + 1)));
    }

    /// <summary>A body with one good status change whose value nests arrays so the whole body is <paramref name="depth"/> deep.</summary>
    internal static string BodyOfDepth(int depth)
    {
        // Body object, entry array, entry, changes array, change, value: six levels before the arrays.
        var arrays = depth - 6;
        var nested = new string('[', arrays) + new string(']', arrays);
        return Payloads.Body(Payloads.Change(
            MetaFields.StatusUpdate,
            $$"""{"event":"APPROVED","message_template_id":1689556908129832,"message_template_name":"order_confirmation","message_template_language":"en_US","extra":{{nested}}}"""));
    }

    // ---- part dead letters beside good siblings ----

    [Fact]
    public void Read_EntryWithoutId_DeadLettersThatEntryOnly()
    {
        var badEntry = $$"""{"time":1781000000,"changes":[{{OtherGoodChange}}]}""";
        var body = Payloads.Envelope(badEntry, Payloads.Entry(Payloads.WabaId, Payloads.EntryTime, GoodChange));

        var batch = Payloads.Read(body);

        var message = Assert.Single(batch.Changes);
        Assert.Equal(Payloads.WabaId, message.WabaId);
        Assert.Contains("1689556908129832", message.Change, StringComparison.Ordinal);
        var dead = Assert.Single(batch.DeadLetters);
        Assert.Equal(DeadLetterSource.Intake, dead.Source);
        Assert.Contains("entry[0]", dead.Reason, StringComparison.Ordinal);
        Assert.Contains("\"id\"", dead.Reason, StringComparison.Ordinal);
        Assert.Equal(badEntry, Encoding.UTF8.GetString(dead.Body));
        Assert.Null(dead.WabaId);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"   \"")]
    [InlineData("null")]
    [InlineData("{}")]
    public void Read_EntryWithUnusableId_DeadLettersThatEntry(string idJson)
    {
        var body = Payloads.Envelope(
            $$"""{"id":{{idJson}},"time":1,"changes":[{{GoodChange}}]}""",
            Payloads.Entry("2", 1, OtherGoodChange));

        var batch = Payloads.Read(body);

        Assert.Equal("2", Assert.Single(batch.Changes).WabaId);
        Assert.Contains("entry[0] has no usable \"id\"", Assert.Single(batch.DeadLetters).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EntryNotAnObject_DeadLettersThatEntry()
    {
        var body = Payloads.Envelope("\"oops\"", Payloads.Entry("2", 1, GoodChange));

        var batch = Payloads.Read(body);

        Assert.Single(batch.Changes);
        var dead = Assert.Single(batch.DeadLetters);
        Assert.Contains("entry[0] is not an object", dead.Reason, StringComparison.Ordinal);
        Assert.Equal("\"oops\"", Encoding.UTF8.GetString(dead.Body));
    }

    [Theory]
    [InlineData("\"1781000000\"")]
    [InlineData("1781000000.5")]
    [InlineData("true")]
    public void Read_EntryTimeNotUnixSeconds_DeadLettersThatEntry(string timeJson)
    {
        var body = Payloads.Envelope(
            $$"""{"id":"1","time":{{timeJson}},"changes":[{{GoodChange}}]}""",
            Payloads.Entry("2", 1, OtherGoodChange));

        var batch = Payloads.Read(body);

        Assert.Equal("2", Assert.Single(batch.Changes).WabaId);
        var dead = Assert.Single(batch.DeadLetters);
        Assert.Contains($"entry[0].time is {timeJson}", dead.Reason, StringComparison.Ordinal);
        Assert.Equal("1", dead.WabaId);
    }

    [Theory]
    [InlineData("""{"id":"1","time":1}""")]
    [InlineData("""{"id":"1","time":1,"changes":{}}""")]
    public void Read_EntryWithoutChangesArray_DeadLettersThatEntry(string entry)
    {
        var body = Payloads.Envelope(entry, Payloads.Entry("2", 1, GoodChange));

        var batch = Payloads.Read(body);

        Assert.Single(batch.Changes);
        var dead = Assert.Single(batch.DeadLetters);
        Assert.Contains("entry[0] has no \"changes\" array", dead.Reason, StringComparison.Ordinal);
        Assert.Equal("1", dead.WabaId);
    }

    [Theory]
    [InlineData("""{"value":{"message_template_id":1}}""")]
    [InlineData("""{"field":"","value":{"message_template_id":1}}""")]
    [InlineData("""{"field":12,"value":{"message_template_id":1}}""")]
    public void Read_ChangeWithoutField_DeadLettersThatChangeOnly(string badChange)
    {
        var body = Payloads.Body(GoodChange, badChange, OtherGoodChange);

        var batch = Payloads.Read(body);

        Assert.Equal(2, batch.Changes.Count);
        Assert.Contains("1689556908129832", batch.Changes[0].Change, StringComparison.Ordinal);
        Assert.Contains("1304694804498707", batch.Changes[1].Change, StringComparison.Ordinal);
        var dead = Assert.Single(batch.DeadLetters);
        Assert.Equal(DeadLetterSource.Intake, dead.Source);
        Assert.Contains("entry[0].changes[1] has no \"field\" string", dead.Reason, StringComparison.Ordinal);
        Assert.Equal(badChange, Encoding.UTF8.GetString(dead.Body));
        Assert.Equal(Payloads.WabaId, dead.WabaId);
    }

    [Theory]
    [InlineData("\"message_template_status_update\"")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("3")]
    public void Read_ChangeNotAnObject_DeadLettersThatChangeOnly(string badChange)
    {
        var body = Payloads.Body(badChange, GoodChange);

        var batch = Payloads.Read(body);

        var message = Assert.Single(batch.Changes);
        Assert.Contains("1689556908129832", message.Change, StringComparison.Ordinal);
        var dead = Assert.Single(batch.DeadLetters);
        Assert.Contains("entry[0].changes[0] is not an object", dead.Reason, StringComparison.Ordinal);
        Assert.Equal(badChange, Encoding.UTF8.GetString(dead.Body));
    }

    [Fact]
    public void Read_ChangeWithoutValue_DeadLettersThatChangeWithField()
    {
        var body = Payloads.Body(GoodChange, """{"field":"message_template_quality_update"}""");

        var batch = Payloads.Read(body);

        Assert.Single(batch.Changes);
        var dead = Assert.Single(batch.DeadLetters);
        Assert.Contains("entry[0].changes[1] (message_template_quality_update) has no \"value\"", dead.Reason, StringComparison.Ordinal);
        Assert.Equal(MetaFields.QualityUpdate, dead.Field);
        Assert.Equal(Payloads.WabaId, dead.WabaId);
    }

    [Fact]
    public void Read_MixedBatch_KeepsGoodChangesAcrossEntriesBesideEachBadPart()
    {
        var body = Payloads.Envelope(
            Payloads.Entry("1", 10, GoodChange, "[]"),
            """{"changes":[]}""",
            Payloads.Entry("3", 30, """{"value":{}}""", OtherGoodChange));

        var batch = Payloads.Read(body);

        Assert.Equal(["1", "3"], batch.Changes.Select(c => c.WabaId));
        Assert.Equal(3, batch.DeadLetters.Count);
        Assert.Contains("entry[0].changes[1]", batch.DeadLetters[0].Reason, StringComparison.Ordinal);
        Assert.Contains("entry[1]", batch.DeadLetters[1].Reason, StringComparison.Ordinal);
        Assert.Contains("entry[2].changes[0]", batch.DeadLetters[2].Reason, StringComparison.Ordinal);
    }

    // ---- ReadId ----

    [Theory]
    [InlineData("""{"id":"102290129340398"}""", "102290129340398")]
    [InlineData("""{"id":" 102290129340398 "}""", "102290129340398")]
    [InlineData("""{"id":9223372036854775807}""", "9223372036854775807")]
    [InlineData("""{"id":9007199254740993}""", "9007199254740993")]
    [InlineData("""{"id":""}""", null)]
    [InlineData("""{"id":null}""", null)]
    [InlineData("""{"id":[1]}""", null)]
    [InlineData("""{"other":"1"}""", null)]
    public void ReadId_Value_ReturnsExactTextOrNull(string json, string? expected)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(expected, EnvelopeReader.ReadId(document.RootElement, "id"));
    }

    [Fact]
    public void ReadId_GraphTemplateListIds_AreExact64BitStrings()
    {
        using var document = JsonDocument.Parse(SampleFiles.Bytes("graph-message-templates-list.json"));

        var ids = document.RootElement.GetProperty("data").EnumerateArray()
            .Select(t => EnvelopeReader.ReadId(t, "id")!)
            .ToList();

        Assert.Equal(["1943027755164201", "1563912508540305", "1387372356726668", "1689556908129835", "1304694804498707"], ids);
        Assert.Equal(
            [1943027755164201L, 1563912508540305L, 1387372356726668L, 1689556908129835L, 1304694804498707L],
            ids.Select(id => long.Parse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture)));
    }

    // ---- text System.Text.Json cannot decode ----

    [Fact]
    public void Read_LoneSurrogateInOneChange_DeadLettersThatChangeAndKeepsItsSibling()
    {
        var broken = Payloads.Change(MetaFields.StatusUpdate, """{"event":"\ud800","message_template_id":5}""");

        var batch = Payloads.Read(Payloads.Body(broken, GoodChange));

        var change = Assert.Single(batch.Changes);
        Assert.Contains("1689556908129832", change.Change, StringComparison.Ordinal);
        var dead = Assert.Single(batch.DeadLetters);
        Assert.Contains("entry[0].changes[0]", dead.Reason, StringComparison.Ordinal);
        Assert.Contains("\\ud800", Encoding.UTF8.GetString(dead.Body), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LoneSurrogateInPropertyName_DeadLettersThatChange()
    {
        var broken = Payloads.Change(MetaFields.StatusUpdate, """{"\udc00":1,"message_template_id":5}""");

        var batch = Payloads.Read(Payloads.Body(GoodChange, broken));

        Assert.Single(batch.Changes);
        Assert.Contains("entry[0].changes[1]", Assert.Single(batch.DeadLetters).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LoneSurrogateInObjectName_IsOneBodyDeadLetter()
    {
        var body = Encoding.UTF8.GetBytes("""{"object":"\ud800","entry":[]}""");

        AssertSingleBodyDeadLetter(body, "cannot be decoded");
    }
}
