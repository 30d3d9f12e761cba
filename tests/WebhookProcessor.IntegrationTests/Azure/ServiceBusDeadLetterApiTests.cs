using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebhookProcessor.Azure;
using WebhookProcessor.IntegrationTests.Functions;
using WebhookProcessor.Health;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Queue;

namespace WebhookProcessor.IntegrationTests.Azure;

/// <summary>
/// The app in Service Bus mode (Table Storage on Azurite; the sender and the dead-letter sub-queue at
/// the SDK's seam): broker dead letters in the ops API, replay from either store, and the Service Bus
/// state in <c>/healthz</c> and at start-up.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServiceBusDeadLetterApiTests(AzuriteServer azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceBusSenderDouble _bus = new();
    private readonly DeadLetterReceiverDouble _broker = new();
    private readonly QueueRuntimeDouble _runtime = new();
    private InProcessService _service = null!;

    public async Task InitializeAsync() => _service = await StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task ListDeadLetters_BrokerDeadLetter_ListedWithReasonDescriptionAndReadableBody()
    {
        var (sequence, body) = BrokerDeadLetter(StatusChange($"evt-{Guid.NewGuid():N}", 9101));

        var item = await FindAsync($"sb-{sequence}");

        Assert.Equal("Broker", item.GetProperty("source").GetString());
        Assert.Equal("MaxDeliveryCountExceeded", item.GetProperty("reason").GetString());
        Assert.Equal("Message could not be consumed after 10 delivery attempts.", item.GetProperty("description").GetString());
        Assert.Equal(10, item.GetProperty("deliveryCount").GetInt32());
        Assert.Equal(Encoding.UTF8.GetByteCount(body), item.GetProperty("bodyBytes").GetInt64());
        using var read = await _service.Client.SendOpsAsync(item.GetProperty("bodyUrl").GetString()!);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(body, await read.Content.ReadAsStringAsync());
        Assert.Empty(_broker.Locked);
    }

    [Fact]
    public async Task Replay_BrokerDeadLetter_SentAgainThenRemovedAndTheChangeApplies()
    {
        var change = StatusChange($"evt-{Guid.NewGuid():N}", 9102);
        var (sequence, _) = BrokerDeadLetter(change);

        var replay = await ReplayAsync($"sb-{sequence}");

        Assert.Equal(HttpStatusCode.OK, replay.Status);
        Assert.Equal(change.EventId, replay.Body.GetProperty("eventId").GetString());
        Assert.True(replay.Body.GetProperty("removed").GetBoolean());
        Assert.Empty(_broker.Messages);
        Assert.Empty(_broker.Locked);
        var sent = Assert.Single(_bus.Messages);
        Assert.Equal(change, ChangeMessageCodec.Decode(sent.Body.ToString()));

        // The Functions host delivers the replayed message: the change lands in history.
        await DeliverAsync(sent);
        var template = await _service.Client.GetOpsAsync("/api/templates/9102");
        Assert.Equal("APPROVED", template.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Replay_SendFails_DeadLetterKeptAndNothingLocked()
    {
        var (sequence, _) = BrokerDeadLetter(StatusChange($"evt-{Guid.NewGuid():N}", 9103));
        _bus.Failure = new ServiceBusException("busy", ServiceBusFailureReason.ServiceBusy);

        var replay = await ReplayAsync($"sb-{sequence}");

        Assert.Equal(HttpStatusCode.InternalServerError, replay.Status);
        Assert.Single(_broker.Messages);
        Assert.Empty(_broker.Locked);
    }

    [Fact]
    public async Task Replay_TablePoisonDeadLetter_RequeuedAndRemovedFromTheTable()
    {
        var eventId = $"evt-poison-{Guid.NewGuid():N}";
        var poison = new ChangeMessage(eventId, Invocations.Waba, "message_template_status_update", null, ReceivedAt, """{"field":"message_template_status_update"}""");
        using (var invoked = await _service.Client.Http.PostAsync("/ProcessTemplateEvent",
            Invocations.Content(Invocations.ServiceBus(ChangeMessageCodec.Encode(poison), MessageEncoding.DoubleEncoded, eventId))))
        {
            Assert.Equal(HttpStatusCode.OK, invoked.StatusCode);
        }

        var id = (await FindByEventAsync(eventId)).GetProperty("id").GetString()!;

        var replay = await ReplayAsync(id);

        Assert.Equal(HttpStatusCode.OK, replay.Status);
        Assert.True(replay.Body.GetProperty("removed").GetBoolean());
        Assert.Equal(poison, ChangeMessageCodec.Decode(Assert.Single(_bus.Messages).Body.ToString()));
        using var gone = await _service.Client.SendOpsAsync($"/api/dead-letters/{id}/body");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Replay_IntakeDeadLetterOfAnUnreadableWebhook_UnprocessableAndKept()
    {
        var marker = Guid.NewGuid().ToString("N");
        using (var posted = await _service.Client.PostWebhookAsync($$"""{"object":"whatsapp_business_account","entry":"{{marker}}"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        var id = (await FindAsync(item => item.GetProperty("rawBody").GetString()?.Contains(marker, StringComparison.Ordinal) == true)).GetProperty("id").GetString()!;

        var replay = await ReplayAsync(id);

        Assert.Equal((HttpStatusCode)422, replay.Status);
        Assert.Contains("neither", replay.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(_bus.Messages);
        using var kept = await _service.Client.SendOpsAsync($"/api/dead-letters/{id}/body");
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
    }

    [Theory]
    [InlineData("sb-424242")]
    [InlineData("98765")]
    [InlineData("no-such-id")]
    public async Task Replay_UnknownId_NotFound(string id)
    {
        var replay = await ReplayAsync(id);

        Assert.Equal(HttpStatusCode.NotFound, replay.Status);
        Assert.Empty(_bus.Messages);
    }

    [Fact]
    public async Task Replay_WithoutTheKey_UnauthorizedAndNothingSent()
    {
        var (sequence, _) = BrokerDeadLetter(StatusChange($"evt-{Guid.NewGuid():N}", 9104));

        using var response = await _service.Client.SendOpsAsync(HttpMethod.Post, $"/api/dead-letters/sb-{sequence}/replay", key: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Single(_broker.Messages);
        Assert.Empty(_bus.Messages);
    }

    [Fact]
    public async Task Healthz_ServiceBusUnreachable_UnavailableNamingItUntilItAnswers()
    {
        Assert.Equal("ok", (await _service.Client.HealthAsync()).GetProperty("dependencies").GetProperty("serviceBus").GetString());
        _bus.OpenFailure = new ServiceBusException("The service was unable to process the request.", ServiceBusFailureReason.ServiceCommunicationProblem);

        using var down = await _service.Client.Http.GetAsync("/healthz");
        var body = JsonDocument.Parse(await down.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("down", body.GetProperty("status").GetString());
        Assert.Contains(ServiceBusMode.Namespace, body.GetProperty("dependencies").GetProperty("serviceBus").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("SharedAccessKey", body.GetRawText(), StringComparison.Ordinal);

        _bus.OpenFailure = null;
        Assert.Equal("up", (await _service.Client.HealthAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Healthz_BrokerAnswers_QueueDepthAndDeadLettersFromTheBroker()
    {
        _runtime.Active = 7;
        _runtime.DeadLetters = 3;
        _runtime.Peekable.Add(QueueRuntimeDouble.Message(11, TimeProvider.System.GetUtcNow().AddMinutes(-2)));

        var health = await _service.Client.HealthAsync();

        Assert.Equal(7, health.GetProperty("queueDepth").GetInt64());
        Assert.InRange(health.GetProperty("oldestMessageAgeSeconds").GetDouble(), 100, 3600);
        Assert.True(health.GetProperty("deadLetterCount").GetInt64() >= 3);
    }

    [Fact]
    public async Task Healthz_BrokerRefusesTheFigures_UnknownAsNullAndStillUp()
    {
        _runtime.Active = 7;
        _runtime.Failure = new UnauthorizedAccessException("Manage claim required for this operation.");

        using var response = await _service.Client.Http.GetAsync("/healthz");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("up", body.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("queueDepth").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("oldestMessageAgeSeconds").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("deadLetterCount").ValueKind);
        Assert.DoesNotContain("Manage claim", body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_LinkDownThenUp_UnavailableWithoutDetailsThenReadyWhateverTheFigures()
    {
        // Without the Manage right the figures are unknown; the queue still works, so readiness holds.
        _runtime.Failure = new UnauthorizedAccessException("Manage claim required for this operation.");
        using (var ready = await _service.Client.Http.GetAsync("/api" + HealthEndpoints.ReadyRoute))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        _bus.OpenFailure = new ServiceBusException("The service was unable to process the request.", ServiceBusFailureReason.ServiceCommunicationProblem);
        using (var down = await _service.Client.Http.GetAsync("/api" + HealthEndpoints.ReadyRoute))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("Unhealthy", await down.Content.ReadAsStringAsync());
        }

        _bus.OpenFailure = null;
        using var again = await _service.Client.Http.GetAsync("/api" + HealthEndpoints.ReadyRoute);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Start_QueueDoesNotExist_FailsNamingTheQueueSetting()
    {
        var missing = new ServiceBusSenderDouble
        {
            OpenFailure = new ServiceBusException("The messaging entity could not be found.", ServiceBusFailureReason.MessagingEntityNotFound),
        };

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(missing));

        Assert.Contains("Queue:ServiceBus:QueueName", failure.Message, StringComparison.Ordinal);
        Assert.Empty(missing.Sends);
    }

    private Task<InProcessService> StartAsync(ServiceBusSenderDouble? bus = null) =>
        InProcessService.StartAsync(
            ServiceBusMode.Settings(azurite, new Dictionary<string, string?>
            {
                // The Table store is shared by the collection's tests: no background sender to take their alerts.
                ["Notifications:Delivery:RunInBackground"] = "false",
            }),
            overrides: services => services.UseServiceBusDoubles(bus ?? _bus, _broker, _runtime));

    private (long Sequence, string Body) BrokerDeadLetter(ChangeMessage change)
    {
        var sequence = Random.Shared.NextInt64(1, 1L << 40);
        var body = ChangeMessageCodec.Encode(change);
        _broker.Add(sequence, body, "MaxDeliveryCountExceeded", "Message could not be consumed after 10 delivery attempts.", change.EventId,
            new Dictionary<string, object> { [ServiceBusEventQueue.WabaIdProperty] = change.WabaId, [ServiceBusEventQueue.FieldProperty] = change.Field });
        return (sequence, body);
    }

    private async Task DeliverAsync(ServiceBusMessage message)
    {
        var payload = Invocations.ServiceBus(message.Body.ToString(), MessageEncoding.DoubleEncoded, message.MessageId!);
        using var invoked = await _service.Client.Http.PostAsync("/ProcessTemplateEvent", Invocations.Content(payload));
        Assert.Equal(HttpStatusCode.OK, invoked.StatusCode);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> ReplayAsync(string id)
    {
        using var response = await _service.Client.SendOpsAsync(HttpMethod.Post, $"/api/dead-letters/{Uri.EscapeDataString(id)}/replay");
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private Task<JsonElement> FindAsync(string id) => FindAsync(item => item.GetProperty("id").GetString() == id);

    private Task<JsonElement> FindByEventAsync(string eventId) => FindAsync(item => item.GetProperty("eventId").GetString() == eventId);

    /// <summary>The one dead letter that matches, following cursors through both sources (the Table store is shared by the collection's tests).</summary>
    private async Task<JsonElement> FindAsync(Func<JsonElement, bool> match)
    {
        var found = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await _service.Client.GetOpsAsync("/api/dead-letters?limit=100&includeRaw=true" + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor)));
            found.AddRange(page.GetProperty("items").EnumerateArray().Where(match));
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);

        return Assert.Single(found);
    }

    private static ChangeMessage StatusChange(string eventId, long templateId) =>
        new(eventId, Invocations.Waba, "message_template_status_update", 1781000000, ReceivedAt, Invocations.StatusChange(templateId));
}
