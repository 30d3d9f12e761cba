using System.Net;
using System.Text.Json;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Functions;

/// <summary>The timer trigger's endpoint: with the background loop off, alerts go out when the timer fires.</summary>
public sealed class DispatchNotificationsTests : IAsyncLifetime
{
    private readonly FakeTeamsEndpoint _teams = new();
    private InProcessService _service = null!;

    public async Task InitializeAsync()
    {
        await _teams.InitializeAsync();
        _service = await ProcessTemplateEventTests.StartAsync(new()
        {
            ["Notifications:Delivery:RunInBackground"] = "false",
            ["Notifications:AllowInsecureWebhookUrls"] = "true",
            ["Notifications:Resilience:MinimumThroughput"] = "1000",
        });
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _teams.DisposeAsync();
    }

    [Fact]
    public async Task Invoke_AlertsDue_SendsThemOnceAndAnswersTheHost()
    {
        using (var put = await _service.Client.SendOpsAsync(HttpMethod.Put, "/api/owners/payments", new
        {
            displayName = "Payments",
            emails = Array.Empty<string>(),
            teamsWebhookUrl = _teams.Url(),
            language = "en",
            match = new { wabaId = (string?)null, templateNamePattern = (string?)null },
        }))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var eventId = $"evt-alert-{Guid.NewGuid():N}";
        var message = Invocations.ChangeMessage(eventId, Invocations.StatusChange(8401, "PAUSED"));
        using (var processed = await _service.Client.Http.PostAsync("/ProcessTemplateEvent",
            Invocations.Content(Invocations.ServiceBus(message, MessageEncoding.DoubleEncoded, eventId))))
        {
            Assert.Equal(HttpStatusCode.OK, processed.StatusCode);
        }

        var pending = await NotificationsAsync();
        Assert.Equal("pending", Assert.Single(pending).GetProperty("status").GetString());
        Assert.Empty(_teams.Received);

        using var response = await _service.Client.Http.PostAsync("/DispatchNotifications", Invocations.Content(Invocations.Timer()));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(text);
        Assert.Equal("1 alert(s) handled", body.RootElement.GetProperty("Logs")[0].GetString());
        Assert.Single(_teams.Received);
        Assert.Contains("order_update_401", _teams.Received[0].Body, StringComparison.Ordinal);
        Assert.Equal("sent", Assert.Single(await NotificationsAsync()).GetProperty("status").GetString());

        // The next tick finds nothing due.
        using var again = await _service.Client.Http.PostAsync("/DispatchNotifications", Invocations.Content(Invocations.Timer()));
        Assert.Contains("0 alert(s) handled", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(_teams.Received);
    }

    private async Task<List<JsonElement>> NotificationsAsync() =>
        (await _service.Client.GetOpsAsync("/api/notifications?templateId=8401")).GetProperty("items").EnumerateArray().ToList();
}
