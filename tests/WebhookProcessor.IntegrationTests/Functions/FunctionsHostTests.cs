using System.Globalization;
using System.Net;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Functions;

public sealed class FunctionsHostTests
{
    [Fact]
    public async Task Start_WithCustomHandlerPort_ListensOnlyOnThatLoopbackPort()
    {
        var port = LoopbackPorts.Free();

        await using var service = await InProcessService.StartAsync(new Dictionary<string, string?>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(CultureInfo.InvariantCulture),
        });

        Assert.Equal(new Uri($"http://127.0.0.1:{port}"), service.Client.Http.BaseAddress);
        using var root = await service.Client.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.NotFound, root.StatusCode); // the host's readiness probe: any answer will do
        using var health = await service.Client.Http.GetAsync("/api/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Forwarded_WebhookOnItsApiPath_IsAcceptedAsBefore()
    {
        await using var service = await ProcessTemplateEventTests.StartAsync();

        using var response = await service.Client.PostWebhookAsync(Samples.StatusWebhook(8501, 1751247548));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/ProcessTemplateEvent")]
    [InlineData("/DispatchNotifications")]
    [InlineData("/DailyMaintenance")]
    public async Task Start_WithoutCustomHandlerPort_DoesNotMapTheTriggerEndpoints(string path)
    {
        // Embedded, the app faces the network: an unsigned change must not get in through a trigger route.
        await using var service = await InProcessService.StartAsync();

        using var response = await service.Client.Http.PostAsync(path, Invocations.Content(Invocations.Timer()));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
