using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.IntegrationTests.Hosting;

/// <summary>Requests that fail authentication are limited per address; authenticated ones never are.</summary>
public sealed class RefusalLimiterTests
{
    private const int Limit = 5;

    [Fact]
    public async Task Webhook_UnauthenticatedBurst_Gets429AfterTheLimitWhileSignedWebhooksAllGet200()
    {
        var logs = new CapturedLogs();
        await using var service = await StartAsync(logs);
        var statuses = new List<HttpStatusCode>();
        var signed = new List<HttpStatusCode>();
        string? retryAfter = null;

        for (var i = 0; i < 60; i++)
        {
            using var unsigned = await service.Client.PostWebhookAsync(Encoding.UTF8.GetBytes("{}"), secret: null);
            statuses.Add(unsigned.StatusCode);
            retryAfter ??= unsigned.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);

            using var wrong = await service.Client.PostWebhookAsync(Encoding.UTF8.GetBytes("{}"), secret: "not-the-app-secret-at-all");
            statuses.Add(wrong.StatusCode);

            if (i % 6 == 0)
            {
                using var good = await service.Client.PostWebhookAsync(Samples.StatusWebhook(templateId: 7000 + i, entryTime: 1781000000 + i));
                signed.Add(good.StatusCode);
            }
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, Limit), statuses.Take(Limit));
        Assert.All(statuses.Skip(Limit), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        Assert.NotNull(retryAfter);
        Assert.All(signed, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(10, signed.Count);

        // One detailed line for the first refusal, none per request after it; the counts come as a summary.
        Assert.True(Warnings(logs).Count <= 2, string.Join(Environment.NewLine, Warnings(logs).Select(l => l.Message)));
        await service.StopAsync();
        var summary = Assert.Single(logs.Entries, l => l.EventId.Id == 1201);
        Assert.Contains("Refused 120 ", summary.Message, StringComparison.Ordinal);
        Assert.Contains($"{120 - Limit} of them answered 429", summary.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ops_WrongKeyBurst_Gets429AfterTheLimitWhileTheRightKeyStillWorks()
    {
        var logs = new CapturedLogs();
        await using var service = await StartAsync(logs);
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i < 30; i++)
        {
            using var noKey = await service.Client.SendOpsAsync("/api/dead-letters", key: null);
            statuses.Add(noKey.StatusCode);
            using var wrongKey = await service.Client.SendOpsAsync("/api/dead-letters", key: "a-wrong-key-that-is-long-enough");
            statuses.Add(wrongKey.StatusCode);
            using var rightKey = await service.Client.SendOpsAsync("/api/dead-letters");
            Assert.Equal(HttpStatusCode.OK, rightKey.StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, Limit), statuses.Take(Limit));
        Assert.All(statuses.Skip(Limit), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        Assert.True(Warnings(logs).Count <= 2, string.Join(Environment.NewLine, Warnings(logs).Select(l => l.Message)));
    }

    [Fact]
    public async Task Webhook_LimitedClientWithoutSignature_Gets429BeforeTheBodyIsRead()
    {
        await using var service = await StartAsync(new CapturedLogs());
        for (var i = 0; i < Limit; i++)
        {
            using var refused = await service.Client.PostWebhookAsync(Encoding.UTF8.GetBytes("{}"), secret: null);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // Headers promise a body that never comes: only an answer given before reading it can arrive.
        await using var raw = await RawHttp.ConnectAsync(service.Client.Http.BaseAddress!);
        await raw.SendAsync($"POST {WebhookEndpoints.Route} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n");
        var (status, text) = await raw.ReadResponseAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(429, status);
        Assert.Contains("Retry-After:", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task FunctionsHost_LoopbackOverTheLimit_StillInvokesTriggersAndHealth()
    {
        await using var service = await WebhookProcessor.IntegrationTests.Functions.ProcessTemplateEventTests.StartAsync(
            new Dictionary<string, string?> { ["RateLimiting:PermitLimit"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        for (var i = 0; i < Limit + 3; i++)
        {
            using var refused = await service.Client.SendOpsAsync("/api/dead-letters", key: null);
        }

        using var limited = await service.Client.SendOpsAsync("/api/dead-letters", key: null);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);

        // The Functions host calls from the same loopback address, without an API key.
        using var health = await service.Client.Http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var maintenance = await service.Client.Http.PostAsync("/" + WebhookProcessor.Functions.DailyMaintenanceFunction.Name, WebhookProcessor.IntegrationTests.Functions.Invocations.Content("""{"Data":{"timer":{}},"Metadata":{}}"""));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, maintenance.StatusCode);
        Assert.True(maintenance.IsSuccessStatusCode, $"{(int)maintenance.StatusCode}: {await maintenance.Content.ReadAsStringAsync()}");
    }

    private static Task<InProcessService> StartAsync(CapturedLogs logs) =>
        InProcessService.StartAsync(
            new Dictionary<string, string?>
            {
                ["RateLimiting:PermitLimit"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["RateLimiting:Window"] = "00:10:00",
            },
            overrides: logs.AddTo);

    private static List<CapturedLog> Warnings(CapturedLogs logs) =>
        logs.Entries.Where(l => l.Level >= LogLevel.Warning && l.Category.StartsWith("WebhookProcessor", StringComparison.Ordinal)).ToList();
}
