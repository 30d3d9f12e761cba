using WebhookProcessor.Storage;

namespace WebhookProcessor.UnitTests.Storage;

public sealed class RetryAfterHeaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("1", 1)]
    [InlineData("120", 120)]
    public void Parse_DeltaSeconds_IsThatWait(string value, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfterHeader.Parse(value, Now));
    }

    [Fact]
    public void Parse_HttpDateInTheFuture_IsTheTimeUntilThen()
    {
        Assert.Equal(TimeSpan.FromSeconds(90), RetryAfterHeader.Parse("Mon, 02 Mar 2026 09:01:30 GMT", Now));
    }

    [Fact]
    public void Parse_HttpDateInThePast_IsNoWait()
    {
        Assert.Equal(TimeSpan.Zero, RetryAfterHeader.Parse("Mon, 02 Mar 2026 08:59:00 GMT", Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("1.5")]
    public void Parse_MissingOrUnreadable_IsNull(string? value)
    {
        Assert.Null(RetryAfterHeader.Parse(value, Now));
    }

    [Fact]
    public void ToDelay_NoHeader_IsNull()
    {
        Assert.Null(RetryAfterHeader.ToDelay(null, Now));
    }
}
