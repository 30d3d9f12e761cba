using System.Buffers;
using System.Text;
using System.Text.Json;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.UnitTests.Webhooks;

public sealed class CanonicalJsonTests
{
    private static string Canonical(string json)
    {
        using var document = JsonDocument.Parse(json);
        return CanonicalJson.ToString(document.RootElement);
    }

    [Fact]
    public void ToString_Object_SortsKeysOrdinallyAndDropsWhitespace()
    {
        var result = Canonical("""{ "b" : 1, "a" : 2, "B" : 3, "_" : 4, "aa" : 5 }""");

        Assert.Equal("""{"B":3,"_":4,"a":2,"aa":5,"b":1}""", result);
    }

    [Fact]
    public void ToString_NestedObjects_SortsAtEveryLevelAndKeepsArrayOrder()
    {
        var result = Canonical("""{"z":{"y":[{"d":1,"c":2},3,"x"],"a":true},"m":false,"n":null}""");

        Assert.Equal("""{"m":false,"n":null,"z":{"a":true,"y":[{"c":2,"d":1},3,"x"]}}""", result);
    }

    [Theory]
    [InlineData("9007199254740993")]
    [InlineData("9223372036854775807")]
    [InlineData("99999999999999999999999")]
    [InlineData("1.0")]
    [InlineData("1.50")]
    [InlineData("1e3")]
    [InlineData("1E+03")]
    [InlineData("-0")]
    [InlineData("0.1")]
    public void ToString_Number_KeepsOriginalText(string number)
    {
        Assert.Equal($$"""{"n":{{number}}}""", Canonical($$"""{ "n" : {{number}} }"""));
    }

    [Fact]
    public void ToString_EscapedStrings_AreDecodedAndWrittenOneWay()
    {
        var escaped = Canonical("""{"s":"caf\u00e9 \/ \u201chi\u201d <b>&amp; it\u0027s"}""");
        var literal = Canonical("""{"s":"café / “hi” <b>&amp; it's"}""");

        Assert.Equal("""{"s":"café / “hi” <b>&amp; it's"}""", literal);
        Assert.Equal(literal, escaped);
    }

    [Fact]
    public void ToString_QuotesBackslashesAndControlCharacters_StayEscaped()
    {
        var result = Canonical("""{"s":"a\"b\\c\nd\u0001"}""");

        Assert.Equal("""{"s":"a\"b\\c\nd\u0001"}""", result);
    }

    [Fact]
    public void ToString_EscapedPropertyNames_AreDecodedBeforeSorting()
    {
        var result = Canonical("""{"\u0062":1,"a":2}""");

        Assert.Equal("""{"a":2,"b":1}""", result);
    }

    [Fact]
    public void ToString_RepeatedKeys_KeepsBothInReceivedOrder()
    {
        Assert.Equal("""{"a":1,"a":2,"b":0}""", Canonical("""{"b":0,"a":1,"a":2}"""));
    }

    [Theory]
    [InlineData("[]", "[]")]
    [InlineData("{}", "{}")]
    [InlineData(" \"text\" ", "\"text\"")]
    [InlineData(" 12 ", "12")]
    [InlineData(" true ", "true")]
    [InlineData(" null ", "null")]
    public void ToString_ScalarsAndEmptyContainers_AreWrittenPlainly(string json, string expected)
    {
        Assert.Equal(expected, Canonical(json));
    }

    [Fact]
    public void Write_ToBuffer_ProducesSameUtf8AsToString()
    {
        using var document = JsonDocument.Parse("""{"b":"é","a":[1,2]}""");
        var buffer = new ArrayBufferWriter<byte>();

        CanonicalJson.Write(document.RootElement, buffer);

        Assert.Equal(Encoding.UTF8.GetBytes("""{"a":[1,2],"b":"é"}"""), buffer.WrittenSpan.ToArray());
    }
}
