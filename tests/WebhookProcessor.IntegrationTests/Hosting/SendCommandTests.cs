using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
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

        var exitCode = await SendCommand.RunAsync([file, "--url", url, "--secret", "not-the-secret"], output, error: output);

        Assert.Equal(1, exitCode);
        var text = output.ToString();
        Assert.Contains("-> 401", text, StringComparison.Ordinal);
        Assert.Contains($"answered by {service.Client.Http.BaseAddress!.GetLeftPart(UriPartial.Authority)} (no Server header)", text, StringComparison.Ordinal);
        Assert.Contains("WebhookProcessor refused the signature: the secret (--secret) is not one of the app's Meta:AppSecrets", text, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_ToAnotherProgramAnswering401_NamesTheServerAndHowToStartTheService()
    {
        // What a user met: the default URL reached some other program on the port.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var other = builder.Build();
        other.MapPost("/api/webhooks/whatsapp", async context =>
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.Server = "OtherApp/1.0";
            await context.Response.WriteAsync("header is mismatch");
        });
        await other.StartAsync();
        var baseUrl = new Uri(other.Urls.First());
        using var output = new StringWriter();

        var exitCode = await SendCommand.RunAsync([Sample(), "--url", new Uri(baseUrl, "/api/webhooks/whatsapp").ToString(), "--secret", "any-secret"], output, error: output);

        Assert.Equal(1, exitCode);
        var text = output.ToString();
        Assert.Contains($"answered by {baseUrl.GetLeftPart(UriPartial.Authority)} (Server: OtherApp/1.0)", text, StringComparison.Ordinal);
        Assert.Contains("does not look like WebhookProcessor", text, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project src/WebhookProcessor", text, StringComparison.Ordinal);
        Assert.Contains("Meta:AppSecrets:0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_NothingListening_SaysTheServiceIsNotRunning()
    {
        var url = $"http://127.0.0.1:{LoopbackPorts.Free()}/api/webhooks/whatsapp";
        using var output = new StringWriter();

        var exitCode = await SendCommand.RunAsync([Sample(), "--url", url, "--secret", "any-secret"], output, error: output);

        Assert.Equal(1, exitCode);
        Assert.Contains("Nothing answered at http://127.0.0.1:", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Is WebhookProcessor running? Start it with `dotnet run --project src/WebhookProcessor`", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_ToAPathTheServiceDoesNotMap_NamesTheWebhookRoute()
    {
        await using var service = await InProcessService.StartAsync();
        var url = new Uri(service.Client.Http.BaseAddress!, "/api/webhook").ToString();
        using var output = new StringWriter();

        var exitCode = await SendCommand.RunAsync([Sample(), "--url", url, "--secret", TestSecrets.AppSecret], output, error: output);

        Assert.Equal(1, exitCode);
        Assert.Contains("-> 404", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("the webhook route is /api/webhooks/whatsapp", output.ToString(), StringComparison.Ordinal);
    }

    private static string Sample() => Path.Combine(AppContext.BaseDirectory, "Samples", "meta", "status-approved.json");
}
