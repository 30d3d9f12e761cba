using Azure.Data.Tables;
using WebhookProcessor.Azure;

namespace WebhookProcessor.UnitTests.Azure;

public sealed class TableKeyTests
{
    [Theory]
    [InlineData("plain-key_1.2", "plain-key_1.2")]
    [InlineData("a/b", "a~2Fb")]
    [InlineData("\\#?", "~5C~23~3F")]
    [InlineData("~", "~7E")]
    [InlineData("\u0000\u001f\u007f\u009f", "~00~1F~7F~9F")]
    [InlineData("ñ 😀 'x'", "ñ 😀 'x'")]
    public void Escape_ForbiddenCharactersAndTheEscape_BecomeHex(string raw, string escaped)
    {
        Assert.Equal(escaped, TableKey.Escape(raw));
        Assert.Equal(raw, TableKey.Unescape(escaped));
        Assert.True(TableKey.IsValid(escaped));
    }

    [Fact]
    public void Escape_EveryCharacterBelow0x100_RoundTrips()
    {
        var all = new string(Enumerable.Range(0, 0x100).Select(i => (char)i).ToArray());

        var escaped = TableKey.Escape(all);

        Assert.True(TableKey.IsValid(escaped));
        Assert.Equal(all, TableKey.Unescape(escaped));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\u0085")]
    public void IsValid_ForbiddenCharacter_IsFalse(string key) => Assert.False(TableKey.IsValid(key));

    [Theory]
    [InlineData("~")]
    [InlineData("~4")]
    [InlineData("~zz")]
    public void Unescape_NotEscapedText_Throws(string key) => Assert.Throws<FormatException>(() => TableKey.Unescape(key));
}
