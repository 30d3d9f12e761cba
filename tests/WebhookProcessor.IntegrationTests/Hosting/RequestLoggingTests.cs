using System.Net;
using Microsoft.Extensions.Logging;
using WebhookProcessor.Hosting;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Hosting;

/// <summary>With every log at Information, nothing secret or caller-shaped reaches the log.</summary>
public sealed class RequestLoggingTests
{
    [Fact]
    public async Task Handshake_WithRequestLoggingAtInformation_LogsTheRequestWithTheTokenRedacted()
    {
        var logs = new CapturedLogs();
        await using var service = await StartVerboseAsync(logs);

        using var response = await service.Client.Http.GetAsync(
            $"/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={TestSecrets.VerifyToken}&hub.challenge=31337");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await StopAndFlush(service);

        Assert.DoesNotContain(logs.Entries, l => l.Message.Contains(TestSecrets.VerifyToken, StringComparison.Ordinal));
        var line = Assert.Single(logs.Entries, l => l.Category == RequestLogging.Category && l.Message.Contains("/api/webhooks/whatsapp", StringComparison.Ordinal));
        Assert.Contains("hub.verify_token=[redacted]", line.Message, StringComparison.Ordinal);
        Assert.Contains("hub.challenge=31337", line.Message, StringComparison.Ordinal);
        Assert.Contains("200", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handshake_ModeWithLineBreaks_CannotForgeALogLine()
    {
        var logs = new CapturedLogs();
        await using var service = await StartVerboseAsync(logs);

        using var response = await service.Client.Http.GetAsync(
            "/api/webhooks/whatsapp?hub.mode=x%0D%0A2026-01-01%20warn%3A%20forged%0D%0A&hub.verify_token=wrong-token&hub.challenge=1");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await StopAndFlush(service);

        var refused = Assert.Single(logs.Entries, l => l.EventId.Id == 1005);
        Assert.Contains("forged", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Entries, l => l.Message.Contains('\r', StringComparison.Ordinal) || l.Message.Contains('\n', StringComparison.Ordinal));
    }

    private static Task<InProcessService> StartVerboseAsync(CapturedLogs logs) =>
        InProcessService.StartAsync(
            new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
                ["Logging:Console:LogLevel:Default"] = "Information",
                [$"Logging:LogLevel:{RequestLogging.Category}"] = "Information",
            },
            overrides: logs.AddTo);

    /// <summary>Request lines are written as the response completes; stopping the host waits for that.</summary>
    private static Task StopAndFlush(InProcessService service) => service.StopAsync();
}
