using System.Globalization;
using System.Net;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.DependencyInjection;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Functions;

/// <summary>
/// The embedded mode (SQLite queue and worker) and the Azure mode (Service Bus at the SDK's seam, the
/// Functions host's invocations, Table Storage on Azurite) fed the same signed webhook must end the
/// same way: what one applies the other applies, what one dead-letters the other dead-letters, under
/// the same event id. The webhook holds a change close to <c>Meta:MaxBodyBytes</c> whose invocation is
/// larger than that (it once failed with a 500 until the queue buried it), and a malformed change.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ModeParityTests(AzuriteServer azurite)
{
    private const string MaxBodyBytes = "16384";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SameWebhook_EmbeddedAndAzureModes_ApplyAndDeadLetterTheSameChanges()
    {
        var templateId = 8900 + Random.Shared.Next(90);
        var entryTime = 1751000000 + Random.Shared.Next(1_000_000);
        // Quotes grow fourfold through two more JSON encodings: the change fits a webhook, its invocation does not.
        var reason = string.Concat(Enumerable.Repeat("\\\"quoted\\\" ", 900));
        var webhook = $$$"""
            {"object":"whatsapp_business_account","entry":[{"id":"{{{Invocations.Waba}}}","time":{{{entryTime}}},"changes":[
              {"field":"message_template_status_update","value":{"event":"REJECTED","message_template_id":{{{templateId}}},"message_template_name":"parity_{{{templateId}}}","message_template_language":"es_MX","reason":"{{{reason}}}"}},
              {"field":"message_template_status_update","value":5}]}]}
            """;
        Assert.InRange(webhook.Length, 8 * 1024, 16 * 1024);

        var embedded = await EmbeddedAsync(webhook, templateId);
        var azure = await AzureAsync(webhook, templateId);

        Assert.Single(embedded.Events);
        Assert.Single(embedded.DeadLetters);
        Assert.Equal(embedded.Events, azure.Events);
        Assert.Equal(embedded.DeadLetters, azure.DeadLetters);
        Assert.Equal("REJECTED", embedded.Status);
        Assert.Equal(embedded.Status, azure.Status);
    }

    private static async Task<(List<string> Events, List<string> DeadLetters, string? Status)> EmbeddedAsync(string webhook, long templateId)
    {
        await using var service = await InProcessService.StartAsync(new Dictionary<string, string?> { ["Meta:MaxBodyBytes"] = MaxBodyBytes });
        using (var response = await service.Client.PostWebhookAsync(webhook))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The worker runs in the background: wait until it has settled both changes.
        await Eventually.Until(
            async () => (await service.Client.AllEventsAsync($"&templateId={templateId}")).Count + (await DeadLettersAsync(service)).Count,
            settled => settled == 2,
            Wait,
            "the embedded worker applying one change and dead-lettering the other");
        return await OutcomeAsync(service, templateId, null);
    }

    private async Task<(List<string> Events, List<string> DeadLetters, string? Status)> AzureAsync(string webhook, long templateId)
    {
        var bus = new ServiceBusSenderDouble();
        await using var service = await InProcessService.StartAsync(
            ServiceBusMode.Settings(azurite, new Dictionary<string, string?> { ["Meta:MaxBodyBytes"] = MaxBodyBytes }),
            overrides: services => services.UseServiceBusDoubles(bus));
        using (var response = await service.Client.PostWebhookAsync(webhook))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(2, bus.Messages.Count);
        var invocations = bus.Messages.Select(m => Invocations.ServiceBus(m)).ToList();
        Assert.True(invocations.Max(i => i.Length) > int.Parse(MaxBodyBytes, CultureInfo.InvariantCulture), "an invocation must exceed Meta:MaxBodyBytes");
        var ids = bus.Messages.Select(m => m.MessageId).ToList();
        foreach (var invocation in invocations)
        {
            using var invoked = await service.Client.Http.PostAsync("/ProcessTemplateEvent", Invocations.Content(invocation));
            Assert.True(invoked.StatusCode == HttpStatusCode.OK, await invoked.Content.ReadAsStringAsync());
        }

        Assert.Empty(bus.Scheduled);
        return await OutcomeAsync(service, templateId, ids);
    }

    /// <param name="ids">In the shared Azurite, only the dead letters of these event ids are this test's.</param>
    private static async Task<(List<string> Events, List<string> DeadLetters, string? Status)> OutcomeAsync(InProcessService service, long templateId, IReadOnlyCollection<string>? ids)
    {
        var events = (await service.Client.AllEventsAsync($"&templateId={templateId}"))
            .Select(e => $"{e.GetProperty("eventId").GetString()} {e.GetProperty("event").GetString()}")
            .Order(StringComparer.Ordinal)
            .ToList();
        var deadLetters = (await DeadLettersAsync(service))
            .Where(d => ids is null || ids.Contains(d.GetProperty("eventId").GetString()!))
            .Select(d => $"{d.GetProperty("eventId").GetString()} {d.GetProperty("source").GetString()} {d.GetProperty("wabaId").GetString()}")
            .Order(StringComparer.Ordinal)
            .ToList();
        var status = (await service.Client.GetOpsAsync($"/api/templates/{templateId}")).GetProperty("status").GetString();
        return (events, deadLetters, status);
    }

    private static async Task<List<JsonElement>> DeadLettersAsync(InProcessService service) =>
        (await service.Client.GetOpsAsync("/api/dead-letters?limit=500")).GetProperty("items").EnumerateArray().ToList();
}
