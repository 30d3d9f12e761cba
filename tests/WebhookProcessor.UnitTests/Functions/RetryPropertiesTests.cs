using WebhookProcessor.Functions;

namespace WebhookProcessor.UnitTests.Functions;

public sealed class RetryPropertiesTests
{
    [Fact]
    public void MessageId_EventId_NamesTheEventAndTheTry()
    {
        Assert.Equal("abc/retry/2", RetryProperties.MessageId("abc", 2));
    }

    [Fact]
    public void MessageId_LongEventId_CutToServiceBusLimitKeepingTheTry()
    {
        var id = RetryProperties.MessageId(new string('e', 200), 12);

        Assert.Equal(RetryProperties.MaxMessageIdLength, id.Length);
        Assert.EndsWith("/retry/12", id, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RetryProperties_GiveRetriesSoFarAndTheFirstFailure()
    {
        var (retries, first) = RetryProperties.Read(new Dictionary<string, string?>
        {
            ["retryAttempt"] = "4",
            ["firstFailedAt"] = "2025-07-01T11:57:00.0000000Z",
        });

        Assert.Equal(3, retries);
        Assert.Equal(new DateTimeOffset(2025, 7, 1, 11, 57, 0, TimeSpan.Zero), first);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("x", "yesterday")]
    [InlineData("-3", null)]
    public void Read_IntakeOrUnreadableProperties_CountAsTheFirstTry(string? attempt, string? firstFailedAt)
    {
        var properties = new Dictionary<string, string?> { ["wabaId"] = "109" };
        if (attempt is not null)
        {
            properties["retryAttempt"] = attempt;
        }

        if (firstFailedAt is not null)
        {
            properties["firstFailedAt"] = firstFailedAt;
        }

        Assert.Equal((0, (DateTimeOffset?)null), RetryProperties.Read(properties));
    }
}
