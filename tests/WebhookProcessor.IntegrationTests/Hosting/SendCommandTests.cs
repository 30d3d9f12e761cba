using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Tools;

namespace WebhookProcessor.IntegrationTests.Hosting;

public sealed class SendCommandTests
{
    [Fact]
    public async Task Send_SignedFile_IsAcceptedByTheService()
    {
        await using var service = await InProcessService.StartAsync();
        var file = Path.Combine(AppContext.BaseDirectory, "Samples", "meta", "status-paused-first-pause.json");
        var url = new Uri(service.Client.Http.BaseAddress!, "/api/webhooks/whatsapp").ToString();
        using var output = new StringWriter();

        var exitCode = await SendCommand.RunAsync([file, "--url", url, "--secret", TestSecrets.AppSecret], output);

        Assert.Equal(0, exitCode);
        Assert.Contains("-> 200 OK", output.ToString(), StringComparison.Ordinal);
        await service.Client.WaitForIdleAsync();
        var template = await service.Client.GetOpsAsync("/api/templates/1304694804498707");
        Assert.Equal("PAUSED", template.GetProperty("status").GetString());
        Assert.Equal("FIRST_PAUSE", template.GetProperty("statusInfo").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Send_WithWrongSecret_ReportsTheRefusalAndFails()
    {
        await using var service = await InProcessService.StartAsync();
        var file = Path.Combine(AppContext.BaseDirectory, "Samples", "meta", "status-approved.json");
        var url = new Uri(service.Client.Http.BaseAddress!, "/api/webhooks/whatsapp").ToString();
        using var output = new StringWriter();

        var exitCode = await SendCommand.RunAsync([file, "--url", url, "--secret", "not-the-secret"], output);

        Assert.Equal(1, exitCode);
        Assert.Contains("-> 401", output.ToString(), StringComparison.Ordinal);
    }
}
