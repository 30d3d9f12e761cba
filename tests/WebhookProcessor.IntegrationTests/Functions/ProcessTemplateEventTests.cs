using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Messaging.ServiceBus;
using Moq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WebhookProcessor.Catalog;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Functions;

/// <summary>
/// The Service Bus trigger's endpoint on the real app in Functions mode, fed the request bodies the
/// Functions host sends: the message double-encoded (as the host's code does), encoded once (as its
/// documentation shows), as an object, or as base64.
/// </summary>
public sealed class ProcessTemplateEventTests : IAsyncLifetime
{
    private InProcessService _service = null!;

    public async Task InitializeAsync() => _service = await StartAsync();

    public Task DisposeAsync() => _service.DisposeAsync().AsTask();

    internal static Task<InProcessService> StartAsync(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? overrides = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture),
            // The Functions host delivers the changes here; the embedded worker has nothing to do.
            ["Queue:WorkerEnabled"] = "false",
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        return InProcessService.StartAsync(values, overrides: overrides);
    }

    private Task<HttpResponseMessage> InvokeAsync(string payload) =>
        _service.Client.Http.PostAsync("/ProcessTemplateEvent", Invocations.Content(payload));

    private static async Task<JsonElement> AssertCompletedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(JsonValueKind.Object, body.GetProperty("Outputs").ValueKind);
        Assert.Equal(JsonValueKind.Array, body.GetProperty("Logs").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("ReturnValue").ValueKind);
        return body;
    }

    [Theory]
    [InlineData(MessageEncoding.DoubleEncoded)]
    [InlineData(MessageEncoding.Plain)]
    [InlineData(MessageEncoding.Object)]
    [InlineData(MessageEncoding.Base64)]
    [InlineData(MessageEncoding.Base64DoubleEncoded)]
    public async Task Invoke_ValidChange_AppliesItToHistoryAndCatalog(MessageEncoding encoding)
    {
        var templateId = 8100 + (long)encoding;
        var eventId = $"evt-{encoding}-{Guid.NewGuid():N}";
        var message = Invocations.ChangeMessage(eventId, Invocations.StatusChange(templateId, "REJECTED", "INVALID_FORMAT"));

        using var response = await InvokeAsync(Invocations.ServiceBus(message, encoding, eventId));

        var body = await AssertCompletedAsync(response);
        Assert.Contains("Applied", body.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        var events = await _service.Client.AllEventsAsync($"&templateId={templateId}");
        var stored = Assert.Single(events);
        Assert.Equal(eventId, stored.GetProperty("eventId").GetString());
        Assert.Equal(Invocations.Waba, stored.GetProperty("wabaId").GetString());
        var template = await _service.Client.GetOpsAsync($"/api/templates/{templateId}");
        Assert.Equal("REJECTED", template.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Invoke_SameChangeRedelivered_CompletesAndKeepsOneHistoryRow()
    {
        var eventId = $"evt-dup-{Guid.NewGuid():N}";
        var message = Invocations.ChangeMessage(eventId, Invocations.StatusChange(8201));

        using (var first = await InvokeAsync(Invocations.ServiceBus(message, MessageEncoding.DoubleEncoded, eventId)))
        {
            await AssertCompletedAsync(first);
        }

        using var second = await InvokeAsync(Invocations.ServiceBus(message, MessageEncoding.DoubleEncoded, eventId, deliveryCount: 2));

        var body = await AssertCompletedAsync(second);
        Assert.Contains("Duplicate", body.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Single(await _service.Client.AllEventsAsync("&templateId=8201"));
    }

    [Fact]
    public async Task Invoke_ChangeWithoutValue_CompletesAndRecordsADeadLetter()
    {
        var eventId = $"evt-poison-{Guid.NewGuid():N}";
        var message = Invocations.ChangeMessage(eventId, """{"field":"message_template_status_update"}""");

        using var response = await InvokeAsync(Invocations.ServiceBus(message, MessageEncoding.DoubleEncoded, eventId, deliveryCount: 3));

        await AssertCompletedAsync(response);
        var deadLetter = await SingleDeadLetterAsync(eventId);
        Assert.Equal("Poison", deadLetter.GetProperty("source").GetString());
        Assert.Contains("value", deadLetter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(Invocations.Waba, deadLetter.GetProperty("wabaId").GetString());
        Assert.Equal(3, deadLetter.GetProperty("deliveryCount").GetInt32());
    }

    [Fact]
    public async Task Invoke_BodyThatIsNoChangeMessage_CompletesAndRecordsItWithTheServiceBusMessageId()
    {
        var messageId = $"sb-{Guid.NewGuid():N}";

        using var response = await InvokeAsync(Invocations.ServiceBus("""{"hello":"world"}""", MessageEncoding.DoubleEncoded, messageId));

        await AssertCompletedAsync(response);
        var deadLetter = await SingleDeadLetterAsync(messageId);
        Assert.Contains("Not a change message", deadLetter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("""{"hello":"world"}""", deadLetter.GetProperty("rawBody").GetString());
    }

    [Fact]
    public async Task Invoke_NoMessageBinding_FailsSoServiceBusKeepsTheMessage()
    {
        using var response = await InvokeAsync("""{"Data":{"msg":"\"{}\""},"Metadata":{}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Invoke_StoreFailsWithoutAQueueForRetries_Answers500SoTheHostRedelivers()
    {
        // Queue:Provider Sqlite: no ServiceBusSender is registered, so no retry can be scheduled.
        var store = FailingStore(new InvalidOperationException("database is locked"));
        await using var service = await StartWithFailingStoreAsync(store);
        var eventId = $"evt-fail-{Guid.NewGuid():N}";

        using var response = await InvokeAsync(service, Invocations.ChangeMessage(eventId, Invocations.StatusChange(8301)), eventId);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        store.Verify(s => s.ApplyAsync(It.IsAny<IReadOnlyList<TemplateEvent>>(), It.IsAny<DateTimeOffset>(), It.IsAny<Func<TemplateRecord?, TemplateEvent, EventDecision>>(), It.IsAny<CancellationToken>()), Times.Once);
        var deadLetters = await service.Client.GetOpsAsync("/api/dead-letters");
        Assert.Empty(deadLetters.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Invoke_StoreFails_SchedulesACopyAfterTheFirstDelayAndCompletes()
    {
        var bus = new ServiceBusSenderDouble();
        await using var service = await StartWithFailingStoreAsync(FailingStore(new TimeoutException("The table service did not answer")), bus, new FakeTimeProvider(Now));
        var eventId = $"evt-retry-{Guid.NewGuid():N}";
        var message = Invocations.ChangeMessage(eventId, Invocations.StatusChange(8302));

        using var response = await InvokeAsync(service, message, eventId);

        var body = await AssertCompletedAsync(response);
        Assert.Contains("try 2 scheduled", body.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        var (copy, at) = Assert.Single(bus.Scheduled);
        Assert.InRange(at, Now.AddSeconds(4), Now.AddSeconds(6)); // 5 s ± 20 % jitter
        Assert.Equal($"{eventId}/retry/2", copy.MessageId);
        Assert.Equal("application/json", copy.ContentType);
        Assert.Equal("message_template_status_update", copy.Subject);
        Assert.Equal(2, copy.ApplicationProperties["retryAttempt"]);
        Assert.Equal(Now, DateTimeOffset.Parse((string)copy.ApplicationProperties["firstFailedAt"], CultureInfo.InvariantCulture));
        Assert.Equal(Invocations.Waba, copy.ApplicationProperties["wabaId"]);
        Assert.Equal("intake", copy.ApplicationProperties["source"]); // the original's own properties travel along
        Assert.Equal(global::WebhookProcessor.Azure.ChangeMessageCodec.Decode(message), global::WebhookProcessor.Azure.ChangeMessageCodec.Decode(copy.Body.ToString()));
        Assert.Empty((await service.Client.GetOpsAsync("/api/dead-letters")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Invoke_RetryFailsAgain_SchedulesTheNextTryLaterKeepingTheFirstFailure()
    {
        var bus = new ServiceBusSenderDouble();
        await using var service = await StartWithFailingStoreAsync(FailingStore(new TimeoutException("still down")), bus, new FakeTimeProvider(Now));
        var eventId = $"evt-retry-{Guid.NewGuid():N}";
        var firstFailure = Now.AddMinutes(-3);

        using var response = await InvokeAsync(service, Invocations.ChangeMessage(eventId, Invocations.StatusChange(8303)), $"{eventId}/retry/3", Retry(3, firstFailure));

        await AssertCompletedAsync(response);
        var (copy, at) = Assert.Single(bus.Scheduled);
        Assert.Equal($"{eventId}/retry/4", copy.MessageId);
        Assert.InRange(at, Now.AddSeconds(16), Now.AddSeconds(24)); // third failure: 5 s doubled twice
        Assert.Equal(firstFailure, DateTimeOffset.Parse((string)copy.ApplicationProperties["firstFailedAt"], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Invoke_StillFailingAfterGiveUpAfter_DeadLettersUnderTheEventIdAndCompletes()
    {
        var bus = new ServiceBusSenderDouble();
        await using var service = await StartWithFailingStoreAsync(
            FailingStore(new TimeoutException("down for good")), bus, new FakeTimeProvider(Now), new() { ["Queue:ServiceBus:Redelivery:GiveUpAfter"] = "00:30:00" });
        var eventId = $"evt-giveup-{Guid.NewGuid():N}";

        using var response = await InvokeAsync(service, Invocations.ChangeMessage(eventId, Invocations.StatusChange(8304)), $"{eventId}/retry/9", Retry(9, Now.AddMinutes(-31)));

        await AssertCompletedAsync(response);
        Assert.Empty(bus.Scheduled);
        var page = await service.Client.GetOpsAsync("/api/dead-letters?limit=500");
        var deadLetter = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(eventId, deadLetter.GetProperty("eventId").GetString()); // the event's id, not the copy's
        Assert.Equal("RetriesExhausted", deadLetter.GetProperty("source").GetString());
        Assert.Equal(9, deadLetter.GetProperty("deliveryCount").GetInt32());
        Assert.Contains("9 tries", deadLetter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("down for good", deadLetter.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_StoreFailsAndSchedulingFails_Answers500SoTheHostRedelivers()
    {
        var bus = new ServiceBusSenderDouble { Failure = new ServiceBusException("namespace busy", ServiceBusFailureReason.ServiceBusy) };
        await using var service = await StartWithFailingStoreAsync(FailingStore(new TimeoutException("The table service did not answer")), bus);
        var eventId = $"evt-noschedule-{Guid.NewGuid():N}";

        using var response = await InvokeAsync(service, Invocations.ChangeMessage(eventId, Invocations.StatusChange(8305)), eventId);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty((await service.Client.GetOpsAsync("/api/dead-letters")).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("EntityTooLarge")]
    [InlineData("PropertyValueTooLarge")]
    [InlineData("RequestBodyTooLarge")]
    public async Task Invoke_StoreRefusesTheChangeAsTooLarge_DeadLettersAtOnceWithoutRetry(string errorCode)
    {
        var bus = new ServiceBusSenderDouble();
        await using var service = await StartWithFailingStoreAsync(FailingStore(new RequestFailedException(400, "The entity is larger than the service allows.", errorCode, null)), bus);
        var eventId = $"evt-huge-{Guid.NewGuid():N}";

        using var response = await InvokeAsync(service, Invocations.ChangeMessage(eventId, Invocations.StatusChange(8306)), eventId);

        await AssertCompletedAsync(response);
        Assert.Empty(bus.Scheduled);
        var deadLetter = Assert.Single((await service.Client.GetOpsAsync("/api/dead-letters?limit=500")).GetProperty("items").EnumerateArray());
        Assert.Equal(eventId, deadLetter.GetProperty("eventId").GetString());
        Assert.Equal("Poison", deadLetter.GetProperty("source").GetString());
        Assert.Contains(errorCode, deadLetter.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_InvocationLargerThanMetaMaxBodyBytes_IsReadAndApplied()
    {
        // Webhooks are limited to 4 KiB here; the host's invocation of the change they carry is larger.
        await using var service = await StartAsync(new() { ["Meta:MaxBodyBytes"] = "4096" });
        var eventId = $"evt-big-{Guid.NewGuid():N}";
        var reason = string.Concat(Enumerable.Repeat("\\\"quoted\\\" ", 250));
        var message = Invocations.ChangeMessage(eventId, Invocations.StatusChange(8307, "REJECTED", reason));
        var payload = Invocations.ServiceBus(message, MessageEncoding.DoubleEncoded, eventId);
        Assert.True(Encoding.UTF8.GetByteCount(Invocations.StatusChange(8307, "REJECTED", reason)) < 4096, "the change fits a webhook");
        Assert.True(Encoding.UTF8.GetByteCount(payload) > 4096, $"the invocation ({Encoding.UTF8.GetByteCount(payload)} bytes) must exceed the webhook limit");

        using var response = await service.Client.Http.PostAsync("/ProcessTemplateEvent", Invocations.Content(payload));

        var body = await AssertCompletedAsync(response);
        Assert.Contains("Applied", body.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Single(await service.Client.AllEventsAsync("&templateId=8307"));
    }

    [Fact]
    public async Task Invoke_InvocationLargerThanMaxInvocationBytes_CompletesAndDeadLettersUnderTheEventId()
    {
        await using var service = await StartAsync(new() { ["Functions:MaxInvocationBytes"] = "65536" });
        var eventId = $"evt-toolarge-{Guid.NewGuid():N}";
        var reason = new string('x', 70_000);
        var message = Invocations.ChangeMessage(eventId, Invocations.StatusChange(8308, "REJECTED", reason));

        using var response = await InvokeAsync(service, message, eventId);

        await AssertCompletedAsync(response);
        var deadLetter = Assert.Single((await service.Client.GetOpsAsync("/api/dead-letters?limit=500")).GetProperty("items").EnumerateArray());
        Assert.Equal(eventId, deadLetter.GetProperty("eventId").GetString());
        Assert.Contains("Functions:MaxInvocationBytes (65536)", deadLetter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Empty(await service.Client.AllEventsAsync("&templateId=8308"));
    }

    private static readonly DateTimeOffset Now = new(2025, 7, 1, 12, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, object> Retry(int attempt, DateTimeOffset firstFailedAt) => new()
    {
        ["source"] = "intake",
        ["retryAttempt"] = attempt,
        ["firstFailedAt"] = firstFailedAt.ToString("O", CultureInfo.InvariantCulture),
    };

    /// <summary>The app with <paramref name="store"/> in place of the template store, and the sender and clock when given.</summary>
    private static Task<InProcessService> StartWithFailingStoreAsync(
        Mock<ITemplateStore> store, ServiceBusSenderDouble? bus = null, TimeProvider? clock = null, Dictionary<string, string?>? settings = null) =>
        StartAsync(settings, services =>
        {
            services.AddSingleton(store.Object);
            if (bus is not null)
            {
                services.AddSingleton(bus.Object);
            }

            if (clock is not null)
            {
                services.AddSingleton(clock);
            }
        });

    /// <summary>Invokes the function the way the host does, with <paramref name="message"/> double-encoded.</summary>
    private static Task<HttpResponseMessage> InvokeAsync(InProcessService service, string message, string messageId, IReadOnlyDictionary<string, object>? properties = null) =>
        service.Client.Http.PostAsync("/ProcessTemplateEvent", Invocations.Content(Invocations.ServiceBus(message, MessageEncoding.DoubleEncoded, messageId, properties: properties)));

    private static Mock<ITemplateStore> FailingStore(Exception error)
    {
        var store = new Mock<ITemplateStore>();
        store.Setup(s => s.ApplyAsync(It.IsAny<IReadOnlyList<TemplateEvent>>(), It.IsAny<DateTimeOffset>(), It.IsAny<Func<TemplateRecord?, TemplateEvent, EventDecision>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(error);
        return store;
    }

    private async Task<JsonElement> SingleDeadLetterAsync(string messageId)
    {
        var page = await _service.Client.GetOpsAsync("/api/dead-letters?limit=500&includeRaw=true");
        return Assert.Single(page.GetProperty("items").EnumerateArray(), d => d.GetProperty("eventId").GetString() == messageId);
    }
}
