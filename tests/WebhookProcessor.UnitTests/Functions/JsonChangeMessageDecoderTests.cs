using WebhookProcessor.Functions;
using WebhookProcessor.Queue;

namespace WebhookProcessor.UnitTests.Functions;

public sealed class JsonChangeMessageDecoderTests
{
    private readonly JsonChangeMessageDecoder _decoder = new();

    [Fact]
    public void Decode_ChangeMessage_ReadsEveryField()
    {
        var message = _decoder.Decode("""
            {"messageId":"e1","wabaId":"109","field":"message_template_status_update","entryTime":1751247548,"receivedAt":"2025-06-30T01:39:09.123+00:00","change":"{\"field\":\"message_template_status_update\",\"value\":{}}"}
            """);

        Assert.Equal("e1", message.EventId);
        Assert.Equal("109", message.WabaId);
        Assert.Equal("message_template_status_update", message.Field);
        Assert.Equal(1751247548, message.EntryTime);
        Assert.Equal(new DateTimeOffset(2025, 6, 30, 1, 39, 9, 123, TimeSpan.Zero), message.ReceivedAt);
        Assert.Equal("""{"field":"message_template_status_update","value":{}}""", message.Change);
    }

    [Fact]
    public void Decode_NullEntryTimeAndObjectChange_AreAccepted()
    {
        var message = _decoder.Decode("""{"messageId":"e1","wabaId":"109","field":"f","entryTime":null,"receivedAt":"2025-06-30T01:39:09Z","change":{"field":"f","value":1}}""");

        Assert.Null(message.EntryTime);
        Assert.Equal("""{"field":"f","value":1}""", message.Change);
    }

    [Theory]
    [InlineData("""{"wabaId":"109","field":"f","receivedAt":"2025-06-30T01:39:09Z","change":"{}"}""", "messageId")]
    [InlineData("""{"messageId":"e1","wabaId":"109","field":"f","receivedAt":"2025-06-30T01:39:09Z"}""", "change")]
    [InlineData("""{"messageId":"e1","wabaId":"109","field":"f","change":"{}"}""", "receivedAt")]
    [InlineData("""["not an object"]""", "object")]
    public void Decode_NotAChangeMessage_ThrowsNamingWhatIsWrong(string text, string named)
    {
        var error = Assert.ThrowsAny<FormatException>(() => _decoder.Decode(text));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_Function_IsUsedAsTheDecoder()
    {
        var decoder = IChangeMessageDecoder.From(text => new ChangeMessage(text, "w", "f", null, DateTimeOffset.UnixEpoch, "{}"));

        Assert.Equal("abc", decoder.Decode("abc").EventId);
    }
}
