using WebhookProcessor.Notifications;

namespace WebhookProcessor.UnitTests.Notifications;

public sealed class WebhookUrlsTests
{
    [Fact]
    public void Redact_WorkflowsUrl_KeepsSchemeHostAndPathOnly()
    {
        var url = "https://prod-12.westeurope.logic.azure.com:443/workflows/4f1c/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=AbC123secret";

        Assert.Equal("https://prod-12.westeurope.logic.azure.com/workflows/4f1c/triggers/manual/paths/invoke", WebhookUrls.Redact(url));
    }

    [Fact]
    public void Redact_NonDefaultPort_KeepsThePort()
    {
        Assert.Equal("http://127.0.0.1:5123/workflows/abc", WebhookUrls.Redact("http://127.0.0.1:5123/workflows/abc?sig=secret"));
    }

    [Theory]
    [InlineData("https://user:secret@example.com/hook?sig=secret#secret")]
    [InlineData("  https://example.com/hook?sig=secret  ")]
    [InlineData("HTTPS://EXAMPLE.COM/hook?SIG=secret")]
    public void Redact_UserInfoQueryOrFragment_AreDropped(string url)
    {
        var redacted = WebhookUrls.Redact(url);

        Assert.DoesNotContain("secret", redacted, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("example.com/hook", redacted, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a url sig=secret")]
    [InlineData("/workflows/abc?sig=secret")]
    [InlineData("mailto:someone?sig=secret")]
    public void Redact_Unreadable_ShowsNoneOfIt(string? url)
    {
        Assert.Equal("(unreadable URL)", WebhookUrls.Redact(url));
    }
}
