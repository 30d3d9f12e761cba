using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WebhookProcessor.Hosting;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Telemetry;

/// <summary>
/// The metrics after a known sequence of webhooks, read through the OpenTelemetry in-memory exporter
/// from the real service: each instrument moves by exactly what the sequence should cause.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class WebhookMetricsTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly FakeTeamsEndpoint _teams = new();
    private readonly TelemetryCapture _capture = new();
    private InProcessService _service = null!;

    public async Task InitializeAsync()
    {
        await _teams.InitializeAsync();
        _service = await InProcessService.StartAsync(
            TelemetryCapture.Settings(new Dictionary<string, string?>
            {
                ["Meta:MaxBodyBytes"] = "4096",
                ["Notifications:AllowInsecureWebhookUrls"] = "true",
                ["Notifications:Delivery:PollInterval"] = "00:00:00.100",
                ["Notifications:Delivery:RetryBaseDelay"] = "00:10:00",
                ["Notifications:Resilience:MaxRetryAttempts"] = "0",
            }),
            overrides: _capture.Register);
        using var response = await _service.Client.SendOpsAsync(HttpMethod.Put, "/api/owners/ops", Samples.TeamsOnlyOwner("Ops", _teams.Url(), "en"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _teams.DisposeAsync();
    }

    [Fact]
    public async Task Metrics_KnownSequenceOfWebhooks_ChangeByTheExpectedAmounts()
    {
        var before = _capture.Flush(_service.Services);
        var rejection = Samples.StatusWebhook(7401, 1_751_100_000, statusEvent: "REJECTED", reason: "INCORRECT_CATEGORY");
        _teams.RespondWith(HttpStatusCode.InternalServerError, times: 1);

        await PostAsync(rejection, HttpStatusCode.OK);                                                  // applied, alerts
        await _service.Client.WaitForIdleAsync();
        await PostAsync(rejection, HttpStatusCode.OK);                                                  // the same again: duplicate
        await PostAsync(Samples.StatusWebhook(7401, 1_751_000_000, statusEvent: "APPROVED"), HttpStatusCode.OK); // older: stale
        await PostAsync("this is not JSON", HttpStatusCode.OK);                                         // kept as a dead letter
        await PostAsync(rejection, HttpStatusCode.Unauthorized, secret: "not-the-app-secret");          // bad signature
        await PostAsync(new string(' ', 5000) + "{}", HttpStatusCode.RequestEntityTooLarge);            // over Meta:MaxBodyBytes
        await _service.Client.WaitForIdleAsync();
        // The Teams endpoint failed the first round: the alert waits for its retry, ten minutes away.
        await Eventually.Until(() => Task.FromResult(_teams.Received.Count), n => n >= 1, Wait, "the first delivery round");
        await Eventually.Until(() => Task.FromResult(_capture.Flush(_service.Services).Sum("webhookprocessor.alert.attempts")), n => n >= before.Sum("webhookprocessor.alert.attempts") + 1, Wait, "the failed round counted");
        await Sampler().SampleAsync();

        var after = _capture.Flush(_service.Services);
        Assert.Equal(
            [3, 1, 1, 1, 0, 0],
            new[] { "accepted", "dead_letter", "bad_signature", "too_large", "bad_request", "not_stored" }
                .Select(o => Delta(before, after, "webhookprocessor.webhooks", ("outcome", o))));
        Assert.Equal(
            [1, 1, 1, 0],
            new[] { "applied", "duplicate", "stale", "malformed" }
                .Select(r => Delta(before, after, "webhookprocessor.events", ("result", r), ("kind", "status"))));
        Assert.Equal(3, after.HistogramCount("webhookprocessor.processing.lag") - before.HistogramCount("webhookprocessor.processing.lag"));
        Assert.Equal(4, after.HistogramCount("webhookprocessor.ingest.commit.duration") - before.HistogramCount("webhookprocessor.ingest.commit.duration"));
        Assert.True(after.HistogramCount("webhookprocessor.ingest.commit.group_size") > before.HistogramCount("webhookprocessor.ingest.commit.group_size"));
        Assert.Equal(1, Delta(before, after, "webhookprocessor.dead_letters", ("source", "intake")));
        Assert.Equal(1, Delta(before, after, "webhookprocessor.alert.attempts", ("channel", "teams"), ("outcome", "retry")));
        Assert.Equal(0, Delta(before, after, "webhookprocessor.alerts", ("channel", "teams")));
        Assert.Equal(
            (0d, 0d, 1d, 1d),
            (after.Gauge("webhookprocessor.queue.depth"), after.Gauge("webhookprocessor.queue.oldest_age"),
                after.Gauge("webhookprocessor.dead_letters.stored"), after.Gauge("webhookprocessor.alerts.waiting", ("state", "pending"))));
        Assert.Equal(1d, after.Gauge("webhookprocessor.circuit_breaker.state", ("channel", "email"), ("state", "closed")));
    }

    private TelemetrySampler Sampler() =>
        _service.Services.GetServices<IHostedService>().OfType<TelemetrySampler>().Single();

    private static double Delta(Measurements before, Measurements after, string name, params (string Key, string Value)[] tags) =>
        after.Sum(name, tags) - before.Sum(name, tags);

    private async Task PostAsync(string body, HttpStatusCode expected, string secret = TestSecrets.AppSecret)
    {
        using var response = await _service.Client.PostWebhookAsync(Encoding.UTF8.GetBytes(body), secret);
        Assert.Equal(expected, response.StatusCode);
    }
}
