using WebhookProcessor.AzureRest.Tables;

namespace WebhookProcessor.UnitTests.AzureRest;

public sealed class TableFilterTests
{
    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("it's", "'it''s'")]
    [InlineData("''", "''''''")]
    [InlineData("", "''")]
    public void Quote_SingleQuotes_AreDoubled(string value, string expected) => Assert.Equal(expected, TableFilter.Quote(value));

    [Fact]
    public void Create_TypedArguments_AreFormattedAsTheirLiterals()
    {
        var time = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1));
        var id = Guid.Parse("0b8f1a86-7f55-4c5c-9a3c-3e4e0c1b2a99");

        var filter = TableFilter.Create($"PartitionKey eq {"o'k"} and N gt {long.MaxValue} and I eq {5} and D lt {2.0} and B eq {true} and T ge {time} and G eq {id} and X eq {new byte[] { 0xAB }}");

        Assert.Equal(
            "PartitionKey eq 'o''k' and N gt 9223372036854775807L and I eq 5 and D lt 2.0 and B eq true and T ge datetime'2026-01-02T02:04:05.0000000Z' and G eq guid'0b8f1a86-7f55-4c5c-9a3c-3e4e0c1b2a99' and X eq X'ab'",
            filter);
    }

    [Fact]
    public void Create_InjectionAttempt_StaysInsideTheLiteral()
    {
        Assert.Equal("RowKey eq 'x'' or ''1'' eq ''1'", TableFilter.Create($"RowKey eq {"x' or '1' eq '1"}"));
    }

    [Fact]
    public void StartsWith_Prefix_IsARangeOnTheKey()
    {
        Assert.Equal("RowKey ge 'e_' and RowKey lt 'e`'", TableFilter.StartsWith("RowKey", "e_"));
    }
}
