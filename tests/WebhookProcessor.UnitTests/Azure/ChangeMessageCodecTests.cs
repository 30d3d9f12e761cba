using System.Text.Json;
using WebhookProcessor.Azure;
using WebhookProcessor.Queue;

namespace WebhookProcessor.UnitTests.Azure;

public sealed class ChangeMessageCodecTests
{
    private static readonly DateTimeOffset ReceivedAt = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1234567);

    [Fact]
    public void Decode_Encoded_GivesBackAnEqualMessage()
    {
        var message = Change("""{"field":"message_template_status_update","value":{"event":"APPROVED","message_template_id":123}}""");

        Assert.Equal(message, ChangeMessageCodec.Decode(ChangeMessageCodec.Encode(message)));
    }

    [Fact]
    public void Decode_NonAsciiAndEscapes_KeptExactly()
    {
        var message = Change("""{"field":"f","value":{"name":"pedido_año_✓_😀","text":"línea\n\"citada\" \\ \u0001"}}""") with
        {
            WabaId = "1099",
            EntryTime = null,
        };

        var decoded = ChangeMessageCodec.Decode(ChangeMessageCodec.Encode(message));

        Assert.Equal(message, decoded);
        Assert.Null(decoded.EntryTime);
    }

    [Fact]
    public void Decode_OneMegabyteChange_RoundTrips()
    {
        var text = string.Concat(Enumerable.Repeat("ñandú-0123456789-", 1024 * 1024 / 18));
        var big = "{\"field\":\"f\",\"value\":{\"text\":\"" + text + "\"}}";
        var message = Change(big);

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(big) > 1024 * 1024);
        Assert.Equal(message, ChangeMessageCodec.Decode(ChangeMessageCodec.Encode(message)));
    }

    [Fact]
    public void Encode_Message_IsAJsonObjectWithTheChangeAsAString()
    {
        using var body = JsonDocument.Parse(ChangeMessageCodec.Encode(Change("""{"field":"f","value":{}}""")));

        Assert.Equal("evt-1", body.RootElement.GetProperty("eventId").GetString());
        Assert.Equal(JsonValueKind.String, body.RootElement.GetProperty("change").ValueKind);
        Assert.Equal(1_700_000_000, body.RootElement.GetProperty("entryTime").GetInt64());
    }

    [Fact]
    public void Decode_UnknownMembers_Ignored()
    {
        var decoded = ChangeMessageCodec.Decode("""
            {"v":2,"eventId":"e","wabaId":"w","field":"f","entryTime":5,"receivedAt":"2025-01-01T00:00:00+00:00",
             "change":"{}","addedLater":{"nested":[1,2]},"priority":"high"}
            """);

        Assert.Equal(new ChangeMessage("e", "w", "f", 5, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), "{}"), decoded);
    }

    [Fact]
    public void Decode_BodyAsAJsonString_Unwrapped()
    {
        var message = Change("""{"field":"f","value":{"a":"é"}}""");
        var wrapped = JsonSerializer.Serialize(ChangeMessageCodec.Encode(message));

        Assert.Equal(message, ChangeMessageCodec.Decode(wrapped));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1]", "JSON object")]
    [InlineData("""{"wabaId":"w","field":"f","receivedAt":"2025-01-01T00:00:00Z","change":"{}"}""", "\"eventId\"")]
    [InlineData("""{"eventId":"e","wabaId":"w","field":"f","receivedAt":"yesterday","change":"{}"}""", "\"receivedAt\"")]
    [InlineData("""{"eventId":"e","wabaId":"w","field":"f","entryTime":"soon","receivedAt":"2025-01-01T00:00:00Z","change":"{}"}""", "\"entryTime\"")]
    [InlineData("""{"eventId":"e","wabaId":"w","field":"f","receivedAt":"2025-01-01T00:00:00Z","change":5}""", "\"change\"")]
    public void Decode_NotAChangeMessage_FormatExceptionSayingWhy(string body, string says)
    {
        var ex = Assert.Throws<FormatException>(() => ChangeMessageCodec.Decode(body));

        Assert.Contains(says, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_HandWrittenReplay_ReadsTheDocumentedExample()
    {
        // The example an operator copies to replay a change by hand: no "v", the change as an object.
        var decoded = ChangeMessageCodec.Decode("""
            {"eventId":"replay-2025-06-30-1","wabaId":"109876543210987","field":"message_template_status_update","entryTime":1751247548,
             "receivedAt":"2025-06-30T01:39:09Z",
             "change":{"field":"message_template_status_update","value":{"event":"APPROVED","message_template_id":123}}}
            """);

        Assert.Equal("replay-2025-06-30-1", decoded.EventId);
        Assert.Equal(1751247548, decoded.EntryTime);
        Assert.Equal("""{"field":"message_template_status_update","value":{"event":"APPROVED","message_template_id":123}}""", decoded.Change);
    }

    [Fact]
    public void Decode_MessageIdInPlaceOfEventId_IsTheEventId()
    {
        var decoded = ChangeMessageCodec.Decode("""{"messageId":"e1","wabaId":"109","field":"f","entryTime":"1751247548","receivedAt":"2025-06-30T01:39:09Z","change":"{}"}""");

        Assert.Equal("e1", decoded.EventId);
        Assert.Equal(1751247548, decoded.EntryTime);
    }

    [Fact]
    public void Decode_BothEventIdAndMessageId_EventIdWins()
    {
        var decoded = ChangeMessageCodec.Decode("""{"eventId":"e1","messageId":"m1","wabaId":"109","field":"f","receivedAt":"2025-06-30T01:39:09Z","change":"{}"}""");

        Assert.Equal("e1", decoded.EventId);
    }

    private static ChangeMessage Change(string change) => new("evt-1", "109876543210987", "message_template_status_update", 1_700_000_000, ReceivedAt, change);
}
