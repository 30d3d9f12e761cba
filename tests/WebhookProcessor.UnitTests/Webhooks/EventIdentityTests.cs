using System.Text.Json;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.UnitTests.Webhooks;

public sealed class EventIdentityTests
{
    private const string Waba = "102290129340398";
    private const string Field = "message_template_status_update";
    private const long Time = 1751247548;

    private const string Value =
        """{"event":"APPROVED","message_template_id":1689556908129832,"message_template_name":"café_promo","message_template_language":"en_US","reason":null,"tags":["a","b"]}""";

    private static string Id(string valueJson, string waba = Waba, string field = Field, long? time = Time)
    {
        using var document = JsonDocument.Parse(valueJson);
        return EventIdentity.Compute(waba, field, time, document.RootElement);
    }

    [Fact]
    public void Compute_AnyChange_Is32LowercaseHexChars()
    {
        var id = Id(Value);

        Assert.Equal(32, id.Length);
        Assert.Matches("^[0-9a-f]{32}$", id);
    }

    [Fact]
    public void Compute_SameInputTwice_IsStable()
    {
        Assert.Equal(Id(Value), Id(Value));
    }

    [Fact]
    public void Compute_KnownInput_MatchesTruncatedSha256OfCanonicalForm()
    {
        // Pins the format so stored ids stay valid across versions: waba \n field \n time \n canonical value.
        var canonical = """{"event":"APPROVED","message_template_id":1689556908129832,"message_template_language":"en_US","message_template_name":"café_promo","reason":null,"tags":["a","b"]}""";
        var input = System.Text.Encoding.UTF8.GetBytes($"{Waba}\n{Field}\n{Time}\n{canonical}");
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(input).AsSpan(0, 16));

        Assert.Equal(expected, Id(Value));
    }

    [Fact]
    public void Compute_DifferentKeyOrder_SameId()
    {
        var reordered = """{"tags":["a","b"],"reason":null,"message_template_language":"en_US","message_template_name":"café_promo","message_template_id":1689556908129832,"event":"APPROVED"}""";

        Assert.Equal(Id(Value), Id(reordered));
    }

    [Fact]
    public void Compute_DifferentWhitespace_SameId()
    {
        var spaced = """
            {
              "event" : "APPROVED",
              "message_template_id" :  1689556908129832,
              "message_template_name": "café_promo",
              "message_template_language": "en_US",
              "reason": null,
              "tags": [ "a" , "b" ]
            }
            """;

        Assert.Equal(Id(Value), Id(spaced));
    }

    [Fact]
    public void Compute_DifferentStringEscaping_SameId()
    {
        var escaped = """{"\u0065vent":"APPROVED","message_template_id":1689556908129832,"message_template_name":"caf\u00E9_promo","message_template_language":"en\u005fUS","reason":null,"tags":["\u0061","b"]}""";

        Assert.Equal(Id(Value), Id(escaped));
    }

    [Fact]
    public void Compute_EscapedSlash_SameIdAsPlainSlash()
    {
        Assert.Equal(Id("""{"url":"https://x.example/a"}"""), Id("""{"url":"https:\/\/x.example\/a"}"""));
    }

    [Fact]
    public void Compute_DifferentEntryTime_DifferentId()
    {
        Assert.NotEqual(Id(Value), Id(Value, time: Time + 1));
    }

    [Fact]
    public void Compute_MissingEntryTime_DiffersFromAnyTime()
    {
        Assert.NotEqual(Id(Value), Id(Value, time: null));
        Assert.NotEqual(Id(Value, time: 0), Id(Value, time: null));
    }

    [Fact]
    public void Compute_DifferentWabaId_DifferentId()
    {
        Assert.NotEqual(Id(Value), Id(Value, waba: "109876543210987"));
    }

    [Fact]
    public void Compute_DifferentField_DifferentId()
    {
        Assert.NotEqual(Id(Value), Id(Value, field: "message_template_quality_update"));
    }

    [Theory]
    [InlineData("""{"event":"REJECTED","message_template_id":1689556908129832,"message_template_name":"café_promo","message_template_language":"en_US","reason":null,"tags":["a","b"]}""")]
    [InlineData("""{"event":"APPROVED","message_template_id":1689556908129833,"message_template_name":"café_promo","message_template_language":"en_US","reason":null,"tags":["a","b"]}""")]
    [InlineData("""{"event":"APPROVED","message_template_id":1689556908129832,"message_template_name":"cafe_promo","message_template_language":"en_US","reason":null,"tags":["a","b"]}""")]
    [InlineData("""{"event":"APPROVED","message_template_id":1689556908129832,"message_template_name":"café_promo","message_template_language":"en-US","reason":null,"tags":["a","b"]}""")]
    [InlineData("""{"event":"APPROVED","message_template_id":1689556908129832,"message_template_name":"café_promo","message_template_language":"en_US","reason":"NONE","tags":["a","b"]}""")]
    [InlineData("""{"event":"APPROVED","message_template_id":1689556908129832,"message_template_name":"café_promo","message_template_language":"en_US","tags":["a","b"]}""")]
    [InlineData("""{"event":"APPROVED","message_template_id":1689556908129832,"message_template_name":"café_promo","message_template_language":"en_US","reason":null,"tags":["b","a"]}""")]
    [InlineData("""{"event":"APPROVED","message_template_id":"1689556908129832","message_template_name":"café_promo","message_template_language":"en_US","reason":null,"tags":["a","b"]}""")]
    public void Compute_AnyDifferentValue_DifferentId(string otherValue)
    {
        Assert.NotEqual(Id(Value), Id(otherValue));
    }

    [Fact]
    public void Compute_TemplateIdsBeyondDoublePrecision_DifferentIds()
    {
        // Both round to the same double; identity must still tell them apart.
        Assert.NotEqual(Id("""{"message_template_id":9007199254740992}"""), Id("""{"message_template_id":9007199254740993}"""));
    }

    [Fact]
    public void Compute_PartsShiftedBetweenWabaAndField_DifferentId()
    {
        using var document = JsonDocument.Parse(Value);

        var a = EventIdentity.Compute("12", "3field", Time, document.RootElement);
        var b = EventIdentity.Compute("123", "field", Time, document.RootElement);

        Assert.NotEqual(a, b);
    }
}
