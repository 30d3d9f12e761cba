using System.Net;
using System.Text.Json;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Functions;

/// <summary>
/// With the background loop off (as under the Functions host), alerts go out from the invocation that
/// planned them, and the timer trigger sends whatever is left (here: all of it, when the invocation
/// is told to leave alerts to the timer).
/// </summary>
public sealed class DispatchNotificationsTests : IAsyncLifetime
{
    private readonly FakeTeamsEndpoint _teams = new();
    private InProcessService _service = null!;

    public Task InitializeAsync() => _teams.InitializeAsync();

    private async Task StartAsync(string alertDispatchTimeout) =>
        _service = await ProcessTemplateEventTests.StartAsync(new()
        {
            ["Notifications:Delivery:RunInBackground"] = "false",
            ["Notifications:AllowInsecureWebhookUrls"] = "true",
            ["Notifications:Resilience:MinimumThroughput"] = "1000",
            ["Functions:AlertDispatchTimeout"] = alertDispatchTimeout,
        });

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        await _teams.DisposeAsync();
    }

    [Fact]
    public async Task ProcessTemplateEvent_ChangePlansAnAlert_SendsItBeforeAnswering()
    {
        await StartAsync("00:00:20");
        await PutOwnerAsync();
        var eventId = $"evt-alert-{Guid.NewGuid():N}";
        var message = Invocations.ChangeMessage(eventId, Invocations.StatusChange(8402, "PAUSED"));

        using var processed = await _service.Client.Http.PostAsync("/ProcessTemplateEvent",
            Invocations.Content(Invocations.ServiceBus(message, MessageEncoding.DoubleEncoded, eventId)));

        var text = await processed.Content.ReadAsStringAsync();
        Assert.True(processed.StatusCode == HttpStatusCode.OK, text);
        using var body = JsonDocument.Parse(text);
        Assert.Equal("1 alert(s) handled", body.RootElement.GetProperty("Logs")[1].GetString());
        // Sent before the answer: no polling needed.
        Assert.Contains("order_update_402", Assert.Single(_teams.Received).Body, StringComparison.Ordinal);
        Assert.Equal("sent", Assert.Single(await NotificationsAsync(8402)).GetProperty("status").GetString());

        // The catch-up timer finds nothing left, and a change that plans no alert does not dispatch at all.
        using var timer = await _service.Client.Http.PostAsync("/DispatchNotifications", Invocations.Content(Invocations.Timer()));
        Assert.Contains("0 alert(s) handled", await timer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var quiet = $"evt-quiet-{Guid.NewGuid():N}";
        using var approved = await _service.Client.Http.PostAsync("/ProcessTemplateEvent",
            Invocations.Content(Invocations.ServiceBus(Invocations.ChangeMessage(quiet, Invocations.StatusChange(8403, "APPROVED")), MessageEncoding.DoubleEncoded, quiet)));
        using var approvedBody = JsonDocument.Parse(await approved.Content.ReadAsStringAsync());
        Assert.Equal(1, approvedBody.RootElement.GetProperty("Logs").GetArrayLength());
        Assert.Single(_teams.Received);
    }

    [Fact]
    public async Task Invoke_AlertsLeftToTheTimer_SendsThemOnceAndAnswersTheHost()
    {
        await StartAsync("00:00:00");
        await PutOwnerAsync();
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

    private async Task PutOwnerAsync()
    {
        using var put = await _service.Client.SendOpsAsync(HttpMethod.Put, "/api/owners/payments", Samples.TeamsOnlyOwner("Payments", _teams.Url(), "en"));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    private async Task<List<JsonElement>> NotificationsAsync(long templateId = 8401) =>
        (await _service.Client.GetOpsAsync($"/api/notifications?templateId={templateId}")).GetProperty("items").EnumerateArray().ToList();
}
