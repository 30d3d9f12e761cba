using System.Diagnostics;
using WebhookProcessor.Telemetry;

namespace WebhookProcessor.UnitTests.Telemetry;

public sealed class OutgoingUrlsTests
{
    [Theory]
    [InlineData("https://graph.facebook.com/v23.0/1098/message_templates?after=QVFI&limit=100", false, "https://graph.facebook.com/v23.0/1098/message_templates")]
    [InlineData("https://user:pass@prod-01.westus.logic.azure.com:8443/workflows/abc/triggers/manual/paths/invoke?sig=s3cr3t", false, "https://prod-01.westus.logic.azure.com:8443/workflows/abc/triggers/manual/paths/invoke")]
    [InlineData("https://prod-01.westus.logic.azure.com/workflows/abc?sig=s3cr3t#frag", true, "https://prod-01.westus.logic.azure.com/")]
    public void Shown_Url_KeepsNoQueryUserInfoOrHiddenPath(string url, bool hidePath, string expected) =>
        Assert.Equal(expected, OutgoingUrls.Shown(new Uri(url), hidePath));

    [Fact]
    public void Enrich_RequestMarkedHidePath_ReplacesTheRecordedUrlWithTheHost()
    {
        using var activity = new Activity("POST");
        activity.SetTag("url.full", "https://prod-01.westus.logic.azure.com/workflows/abc?sig=Redacted");
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://prod-01.westus.logic.azure.com/workflows/abc?sig=s3cr3t");
        request.Options.Set(OutgoingUrls.HidePath, true);

        OutgoingUrls.Enrich(activity, request);

        Assert.Equal("https://prod-01.westus.logic.azure.com/", activity.GetTagItem("url.full"));
    }
}
