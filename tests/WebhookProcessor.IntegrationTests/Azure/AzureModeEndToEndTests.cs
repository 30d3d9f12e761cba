using System.Net;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.DependencyInjection;
using WebhookProcessor.Catalog;
using WebhookProcessor.IntegrationTests.Functions;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Azure;

/// <summary>
/// The app configured as on Azure (Service Bus intake, Table Storage, Functions custom handler), on real
/// parts where this machine has them: a signed webhook goes to Service Bus (taken at the SDK's seam, for
/// want of an emulator), its message is
/// handed to <c>ProcessTemplateEvent</c> the way the Functions host does, rows land in Azurite, and the
/// timer function sends the owner's alert to a loopback Teams endpoint.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureModeEndToEndTests(AzuriteServer azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly ServiceBusSenderDouble _bus = new();
    private readonly FakeTeamsEndpoint _teams = new();
    private InProcessService _service = null!;

    public async Task InitializeAsync()
    {
        await _teams.InitializeAsync();
        await StartAsync(_ => { });
    }

    private async Task StartAsync(Action<IServiceCollection> overrides)
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        var settings = ServiceBusMode.Settings(azurite, new Dictionary<string, string?>
        {
            ["Notifications:AllowInsecureWebhookUrls"] = "true",
            ["Notifications:Delivery:RunInBackground"] = "false",
        });
        _service = await InProcessService.StartAsync(settings, overrides: services =>
        {
            services.UseServiceBusDoubles(_bus);
            overrides(services);
        });
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _teams.DisposeAsync();
    }

    [Fact]
    public async Task AzureMode_Webhook_TravelsThroughServiceBusAndTablesToTheOwner()
    {
        using (var put = await _service.Client.SendOpsAsync(HttpMethod.Put, "/api/owners/ops", Samples.TeamsOnlyOwner("Operaciones", _teams.Url(), "es")))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var body = Samples.StatusWebhook(8801, 1751247548, Invocations.Waba, "REJECTED", reason: "INCORRECT_CATEGORY");
        using (var response = await _service.Client.PostWebhookAsync(body))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Meta sends it again: Service Bus duplicate detection keeps one message.
        using (var again = await _service.Client.PostWebhookAsync(body))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        var message = Assert.Single(_bus.Messages);

        // The Functions host hands the message to the handler, twice (a redelivery changes nothing).
        for (var delivery = 1; delivery <= 2; delivery++)
        {
            var payload = Invocations.ServiceBus(message.Body.ToString(), MessageEncoding.DoubleEncoded, message.MessageId!, delivery);
            using var invoked = await _service.Client.Http.PostAsync("/ProcessTemplateEvent", Invocations.Content(payload));
            Assert.Equal(HttpStatusCode.OK, invoked.StatusCode);
        }

        var template = await _service.Client.GetOpsAsync("/api/templates/8801");
        Assert.Equal("REJECTED", template.GetProperty("status").GetString());
        Assert.Equal("INCORRECT_CATEGORY", template.GetProperty("lastReason").GetString());
        Assert.Equal("ops", template.GetProperty("owner").GetProperty("ownerId").GetString());
        Assert.Single(await _service.Client.AllEventsAsync("&templateId=8801"));

        using (var timer = await _service.Client.Http.PostAsync("/DispatchNotifications", Invocations.Content("""{"Data":{},"Metadata":{}}""")))
        {
            Assert.Equal(HttpStatusCode.OK, timer.StatusCode);
        }

        var posts = await _teams.WaitForRequestsAsync(1, Wait);
        Assert.Contains("order_update_801", posts[0].Body, StringComparison.Ordinal);
        var sent = await Eventually.Until(
            async () => (await _service.Client.GetOpsAsync("/api/notifications?templateId=8801")).GetProperty("items").EnumerateArray().ToList(),
            items => items.Count == 1 && items[0].GetProperty("status").GetString() == "sent",
            Wait, "the alert recorded as sent in Table Storage");
        Assert.Equal("teams", sent[0].GetProperty("channel").GetString());
        Assert.Single(_teams.Received);

        // Nothing went to the embedded stores.
        Assert.False(File.Exists(Path.Combine(_service.DataFolder, "catalog.db")));
        Assert.False(File.Exists(Path.Combine(_service.DataFolder, "queue.db")));
    }

    [Fact]
    public async Task AzureMode_StoreFailsOnceThenRecovers_ScheduledRetryAppliesTheEventOnce()
    {
        FlakyTemplateStore? store = null;
        await StartAsync(services =>
        {
            var wrap = FlakyTemplateStore.Wrapping(services, failures: 1, () => new global::Azure.RequestFailedException(503, "The server is busy.", "ServerBusy", null));
            services.AddSingleton<ITemplateStore>(sp => store = (FlakyTemplateStore)wrap(sp));
        });
        using (var response = await _service.Client.PostWebhookAsync(Samples.StatusWebhook(8802, 1751247548, Invocations.Waba, "PAUSED")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var original = Assert.Single(_bus.Messages);
        var before = TimeProvider.System.GetUtcNow();

        // The store is down: the invocation completes, with a copy scheduled for later.
        using (var failed = await _service.Client.Http.PostAsync("/ProcessTemplateEvent", Invocations.Content(Invocations.ServiceBus(original))))
        {
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }

        var (copy, at) = Assert.Single(_bus.Scheduled);
        Assert.Equal($"{original.MessageId}/retry/2", copy.MessageId);
        Assert.InRange(at, before.AddSeconds(4), TimeProvider.System.GetUtcNow().AddSeconds(6));
        Assert.Empty(await _service.Client.AllEventsAsync("&templateId=8802"));

        // The store is back when the copy comes due; a late redelivery of the original changes nothing.
        using (var retried = await _service.Client.Http.PostAsync("/ProcessTemplateEvent", Invocations.Content(Invocations.ServiceBus(copy))))
        {
            Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
            Assert.Contains("Applied", await retried.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var late = await _service.Client.Http.PostAsync("/ProcessTemplateEvent", Invocations.Content(Invocations.ServiceBus(original, deliveryCount: 2))))
        {
            Assert.Contains("Duplicate", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(3, store!.Calls);
        var stored = Assert.Single(await _service.Client.AllEventsAsync("&templateId=8802"));
        Assert.Equal(original.MessageId, stored.GetProperty("eventId").GetString());
        Assert.Equal("PAUSED", (await _service.Client.GetOpsAsync("/api/templates/8802")).GetProperty("status").GetString());
        // Other tests of the collection share the tables: only this change's dead letters matter.
        Assert.DoesNotContain(
            (await _service.Client.GetOpsAsync("/api/dead-letters?limit=500")).GetProperty("items").EnumerateArray(),
            d => d.GetProperty("eventId").GetString() == original.MessageId);
        Assert.Single(_bus.Scheduled);
    }
}
