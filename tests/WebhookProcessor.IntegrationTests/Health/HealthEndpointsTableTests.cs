using System.Net;
using WebhookProcessor.Health;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Health;

/// <summary>
/// Readiness on the Table Storage provider follows the storage service: its own Azurite (the shared one
/// must stay up for the other tests) is stopped and started again on the same port.
/// </summary>
public sealed class HealthEndpointsTableTests : IAsyncLifetime
{
    private readonly AzuriteServer _azurite = new();
    private InProcessService _service = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _service = await InProcessService.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "AzureTables",
            ["Storage:Tables:ConnectionString"] = _azurite.ConnectionString,
            ["Health:ReadyTimeout"] = "00:00:01",
            // No background sender: its failed reads while storage is down are not what this test is about.
            ["Notifications:Delivery:RunInBackground"] = "false",
        });
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task Ready_StorageStoppedThenStartedAgain_UnavailableThenReadyAndLiveThroughout()
    {
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HealthEndpoints.ReadyRoute));

        await _azurite.StopAsync();

        await Eventually.Until(() => StatusAsync(HealthEndpoints.ReadyRoute), s => s == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30), "readiness to fail with storage down");
        using (var down = await _service.Client.Http.GetAsync("/api" + HealthEndpoints.ReadyRoute))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            var body = await down.Content.ReadAsStringAsync();
            Assert.Equal("Unhealthy", body);
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HealthEndpoints.LiveRoute));

        await _azurite.RestartAsync();

        await Eventually.Until(() => StatusAsync(HealthEndpoints.ReadyRoute), s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "readiness once storage is back");
    }

    private async Task<HttpStatusCode> StatusAsync(string route)
    {
        using var response = await _service.Client.Http.GetAsync(route);
        return response.StatusCode;
    }
}
