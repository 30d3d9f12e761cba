using WebhookProcessor.Hosting;

namespace WebhookProcessor.UnitTests.Hosting;

public sealed class RequestLoggingTests
{
    [Theory]
    [InlineData("?hub.mode=subscribe&hub.verify_token=s3cret&hub.challenge=1", "?hub.mode=subscribe&hub.verify_token=[redacted]&hub.challenge=1")]
    [InlineData("?hub%2Everify_token=s3cret", "?hub%2Everify_token=[redacted]")]
    [InlineData("?HUB.VERIFY_TOKEN=s3cret&x=1", "?HUB.VERIFY_TOKEN=[redacted]&x=1")]
    [InlineData("?limit=10", "?limit=10")]
    [InlineData("", "")]
    public void RedactQuery_VerifyToken_IsRedactedWhateverItsSpelling(string query, string expected)
    {
        Assert.Equal(expected, RequestLogging.RedactQuery(query));
    }
}
