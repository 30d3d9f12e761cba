using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Moq;
using Microsoft.Extensions.DependencyInjection;
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
    public async Task Invoke_StoreFails_Answers500SoServiceBusRedelivers()
    {
        var store = new Mock<ITemplateStore>();
        store.Setup(s => s.ApplyAsync(It.IsAny<IReadOnlyList<TemplateEvent>>(), It.IsAny<DateTimeOffset>(), It.IsAny<Func<TemplateRecord?, TemplateEvent, EventDecision>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("database is locked"));
        await using var service = await StartAsync(overrides: s => s.AddSingleton(store.Object));
        var eventId = $"evt-fail-{Guid.NewGuid():N}";
        var message = Invocations.ChangeMessage(eventId, Invocations.StatusChange(8301));

        using var response = await service.Client.Http.PostAsync("/ProcessTemplateEvent",
            Invocations.Content(Invocations.ServiceBus(message, MessageEncoding.DoubleEncoded, eventId)));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        store.Verify(s => s.ApplyAsync(It.IsAny<IReadOnlyList<TemplateEvent>>(), It.IsAny<DateTimeOffset>(), It.IsAny<Func<TemplateRecord?, TemplateEvent, EventDecision>>(), It.IsAny<CancellationToken>()), Times.Once);
        var deadLetters = await service.Client.GetOpsAsync("/api/dead-letters");
        Assert.Empty(deadLetters.GetProperty("items").EnumerateArray());
    }

    private async Task<JsonElement> SingleDeadLetterAsync(string messageId)
    {
        var page = await _service.Client.GetOpsAsync("/api/dead-letters?limit=500&includeRaw=true");
        return Assert.Single(page.GetProperty("items").EnumerateArray(), d => d.GetProperty("eventId").GetString() == messageId);
    }
}
