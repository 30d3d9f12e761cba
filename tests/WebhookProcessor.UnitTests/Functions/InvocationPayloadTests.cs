using System.Text;
using System.Text.Json;
using WebhookProcessor.Functions;

namespace WebhookProcessor.UnitTests.Functions;

public sealed class InvocationPayloadTests
{
    private const string Message = """{"messageId":"e1","change":"{\"field\":\"x\"}"}""";

    public static TheoryData<string> MessageShapes() => new()
    {
        // As the host's code encodes a string: a JSON string holding a JSON string literal.
        JsonSerializer.Serialize(JsonSerializer.Serialize(Message)),
        // As the documentation shows it: one JSON string.
        JsonSerializer.Serialize(Message),
        Message,
        JsonSerializer.Serialize(Convert.ToBase64String(Encoding.UTF8.GetBytes(Message))),
        JsonSerializer.Serialize(JsonSerializer.Serialize(Convert.ToBase64String(Encoding.UTF8.GetBytes(Message)))),
    };

    [Theory]
    [MemberData(nameof(MessageShapes))]
    public void DataText_AnyEncoding_GivesTheMessageJson(string encoded)
    {
        var payload = InvocationPayload.Parse("{\"Data\":{\"message\":" + encoded + "},\"Metadata\":{}}")!;

        Assert.Equal(JsonDocument.Parse(Message).RootElement.GetRawText(), JsonDocument.Parse(payload.DataText("message")!).RootElement.GetRawText());
    }

    [Fact]
    public void Metadata_EncodedTwiceOrOnce_ReadsTheSameValues()
    {
        var twice = InvocationPayload.Parse("""
            {"Data":{"message":"\"{}\""},"Metadata":{"MessageId":"\"m-1\"","DeliveryCount":"4","EnqueuedTimeUtc":"\"2025-06-30T01:39:09\"","UserProperties":"{\"source\":\"intake\"}"}}
            """)!;
        var once = InvocationPayload.Parse("""
            {"Data":{"message":"{}"},"Metadata":{"messageId":"m-1","DeliveryCount":4,"EnqueuedTimeUtc":"2025-06-30T01:39:09Z","UserProperties":{"source":"intake"}}}
            """)!;

        foreach (var payload in new[] { twice, once })
        {
            Assert.Equal("m-1", payload.MetadataText("MessageId"));
            Assert.Equal(4, payload.MetadataInt("DeliveryCount"));
            Assert.Equal(new DateTimeOffset(2025, 6, 30, 1, 39, 9, TimeSpan.Zero), payload.MetadataTime("EnqueuedTimeUtc"));
            Assert.Equal("intake", payload.MetadataObject("UserProperties")["source"]);
            Assert.Null(payload.MetadataText("SessionId"));
        }
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"Metadata":{}}""")]
    public void Parse_NotAnInvocation_GivesNull(string body) => Assert.Null(InvocationPayload.Parse(body));

    [Fact]
    public void DataText_BindingAbsent_GivesNull() =>
        Assert.Null(InvocationPayload.Parse("""{"Data":{"msg":"x"}}""")!.DataText("message"));
}
