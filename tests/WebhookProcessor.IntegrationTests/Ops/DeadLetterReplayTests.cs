using System.Net;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WebhookProcessor.Catalog;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Ops;

/// <summary>
/// <c>POST /api/dead-letters/{id}/replay</c> in the embedded mode, end to end: a change that used up its
/// deliveries while the catalog store was down is dead-lettered by the worker, the store comes back,
/// and the replay queues it again, removes the dead letter, and the worker applies it.
/// </summary>
public sealed class DeadLetterReplayTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly StoreSwitch _switch = new();
    private InProcessService _service = null!;

    public async Task InitializeAsync() =>
        _service = await InProcessService.StartAsync(new Dictionary<string, string?>
        {
            ["Queue:MaxDeliveryCount"] = "2",
            ["Queue:RetryBaseDelay"] = "00:00:00.010",
            ["Queue:RetryMaxDelay"] = "00:00:00.050",
        }, overrides: services => services.AddSingleton<ITemplateStore>(sp => FailingStore.Wrap(sp.GetRequiredService<SqliteTemplateStore>(), _switch)));

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Replay_ChangeThatFailedWhileTheStoreWasDown_QueuedAgainRemovedAndApplied()
    {
        _switch.Failing = true;
        using (var posted = await _service.Client.PostWebhookAsync(Samples.StatusWebhook(7301, 1781000000)))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        var deadLetter = await Eventually.Until(
            async () => (await _service.Client.GetOpsAsync("/api/dead-letters")).GetProperty("items").EnumerateArray().ToList(),
            items => items.Count == 1,
            Wait, "the change dead-lettered after its deliveries");
        Assert.Equal("RetriesExhausted", deadLetter[0].GetProperty("source").GetString());
        var id = deadLetter[0].GetProperty("id").GetString()!;
        _switch.Failing = false;

        using var replay = await _service.Client.SendOpsAsync(HttpMethod.Post, $"/api/dead-letters/{id}/replay");
        var answer = JsonDocument.Parse(await replay.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.True(answer.GetProperty("removed").GetBoolean());
        Assert.Equal(deadLetter[0].GetProperty("eventId").GetString(), answer.GetProperty("eventId").GetString());
        await Eventually.Until(
            () => _service.Client.AllEventsAsync("&templateId=7301"),
            events => events.Count == 1,
            Wait, "the replayed change applied");
        var template = await _service.Client.GetOpsAsync("/api/templates/7301");
        Assert.Equal("APPROVED", template.GetProperty("status").GetString());
        Assert.Empty((await _service.Client.GetOpsAsync("/api/dead-letters")).GetProperty("items").EnumerateArray());
        Assert.Equal(0, (await _service.Client.HealthAsync()).GetProperty("deadLetterCount").GetInt64());

        // Replayed once: the id is gone.
        using var again = await _service.Client.SendOpsAsync(HttpMethod.Post, $"/api/dead-letters/{id}/replay");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Replay_WebhookThatCouldNotBeRead_UnprocessableAndTheDeadLetterStays()
    {
        using (var posted = await _service.Client.PostWebhookAsync("""{"object":"whatsapp_business_account","entry":7}"""))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        var id = Assert.Single((await _service.Client.GetOpsAsync("/api/dead-letters")).GetProperty("items").EnumerateArray()).GetProperty("id").GetString()!;

        using var replay = await _service.Client.SendOpsAsync(HttpMethod.Post, $"/api/dead-letters/{id}/replay");

        Assert.Equal((HttpStatusCode)422, replay.StatusCode);
        Assert.Equal("application/problem+json", replay.Content.Headers.ContentType?.MediaType);
        Assert.Single((await _service.Client.GetOpsAsync("/api/dead-letters")).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("123456")]
    [InlineData("sb-5")]
    public async Task Replay_NoSuchDeadLetter_NotFound(string id)
    {
        using var replay = await _service.Client.SendOpsAsync(HttpMethod.Post, $"/api/dead-letters/{id}/replay");

        Assert.Equal(HttpStatusCode.NotFound, replay.StatusCode);
    }

    /// <summary>Whether the catalog store fails its commits (the store "down").</summary>
    public sealed class StoreSwitch
    {
        public volatile bool Failing;
    }

    /// <summary>The real store, whose <c>ApplyAsync</c> fails while the switch is on; every other call passes through.</summary>
    public class FailingStore : DispatchProxy
    {
        private ITemplateStore _inner = null!;
        private StoreSwitch _switch = null!;

        public static ITemplateStore Wrap(ITemplateStore inner, StoreSwitch storeSwitch)
        {
            var proxy = Create<ITemplateStore, FailingStore>();
            var failing = (FailingStore)(object)proxy;
            failing._inner = inner;
            failing._switch = storeSwitch;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (_switch.Failing && targetMethod.Name == nameof(ITemplateStore.ApplyAsync))
            {
                throw new IOException("The catalog store is down.");
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        }
    }
}
