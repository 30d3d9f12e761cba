using System.Net;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Meta;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.IntegrationTests.Webhooks;

/// <summary>Bodies that go wrong on the wire, sent by hand over a loopback socket, and the body limits.</summary>
public sealed class WebhookIntakeTests
{
    private const int MaxBodyBytes = 4096;

    [Fact]
    public async Task Post_BadChunkSize_Answers400AndLogsNoError()
    {
        var logs = new CapturedLogs();
        await using var service = await StartAsync(logs);
        await using var raw = await RawHttp.ConnectAsync(service.Client.Http.BaseAddress!);

        await raw.SendAsync(Head("Transfer-Encoding: chunked") + "zz\r\nhello\r\n0\r\n\r\n");
        var (status, _) = await raw.ReadResponseAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(400, status);
        AssertNoErrorLogged(logs);
    }

    [Fact]
    public async Task Post_BodySlowerThanMinimumRate_Answers408AndLogsNoError()
    {
        var logs = new CapturedLogs();
        await using var service = await StartAsync(logs, services => services.Configure<KestrelServerOptions>(k =>
            k.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1000, gracePeriod: TimeSpan.FromSeconds(2))));
        await using var raw = await RawHttp.ConnectAsync(service.Client.Http.BaseAddress!);

        // Ten bytes of a promised thousand, then nothing: far below the minimum rate once the grace period ends.
        await raw.SendAsync(Head("Content-Length: 1000") + "{\"object\":");
        var (status, _) = await raw.ReadResponseAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(408, status);
        await Eventually.Until(() => Task.FromResult(logs.Entries), e => e.Any(l => l.EventId.Id == 1006), TimeSpan.FromSeconds(10), "the unreadable-body log");
        AssertNoErrorLogged(logs);
    }

    [Fact]
    public async Task Post_ConnectionResetMidBody_LogsNoError()
    {
        var logs = new CapturedLogs();
        await using var service = await StartAsync(logs);
        var raw = await RawHttp.ConnectAsync(service.Client.Http.BaseAddress!);

        await raw.SendAsync(Head("Content-Length: 1000") + "{\"object\":");
        raw.Reset();
        await raw.DisposeAsync();

        await Eventually.Until(() => Task.FromResult(logs.Entries), e => e.Any(l => l.EventId.Id is 1006 or 1007), TimeSpan.FromSeconds(10), "the abandoned-body log");
        AssertNoErrorLogged(logs);
    }

    [Fact]
    public async Task Post_ChunkedBody_HasTheSameLimitAsContentLength()
    {
        await using var service = await StartAsync(new CapturedLogs());
        var atLimit = PaddedBody(MaxBodyBytes);
        var overLimit = PaddedBody(MaxBodyBytes + 1);

        Assert.Equal(HttpStatusCode.OK, await PostAsync(service, atLimit, chunked: false));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PostAsync(service, overLimit, chunked: false));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(service, atLimit, chunked: true));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PostAsync(service, overLimit, chunked: true));
    }

    [Fact]
    public async Task Post_BodyPastDepthLimit_Answers400AndAtLimitIsProcessed()
    {
        await using var service = await StartAsync(new CapturedLogs(), settings: new() { ["Meta:MaxBodyBytes"] = "65536" });

        using var tooDeep = await service.Client.PostWebhookAsync(BodyOfDepth(JsonLimits.MaxDepth + 1, templateId: 901));
        Assert.Equal(HttpStatusCode.BadRequest, tooDeep.StatusCode);
        Assert.Contains("nested", await tooDeep.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var atLimit = await service.Client.PostWebhookAsync(BodyOfDepth(JsonLimits.MaxDepth, templateId: 902));
        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        await service.Client.WaitForIdleAsync();
        Assert.Empty((await service.Client.GetOpsAsync("/api/dead-letters")).GetProperty("items").EnumerateArray());
        var events = await service.Client.AllEventsAsync();
        Assert.Contains(events, e => e.GetProperty("templateId").ToString() == "902");
        Assert.DoesNotContain(events, e => e.GetProperty("templateId").ToString() == "901");
    }

    private static Task<InProcessService> StartAsync(CapturedLogs logs, Action<IServiceCollection>? more = null, Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Meta:MaxBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Debug",
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        return InProcessService.StartAsync(values, overrides: services =>
        {
            logs.AddTo(services);
            more?.Invoke(services);
        });
    }

    private static string Head(string framing) =>
        $"POST {WebhookEndpoints.Route} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{SignatureVerifier.HeaderName}: sha256={new string('0', 64)}\r\n{framing}\r\nConnection: close\r\n\r\n";

    private static void AssertNoErrorLogged(CapturedLogs logs)
    {
        var serious = logs.Entries.Where(l => l.Level >= LogLevel.Error || (l.Exception is not null && l.Level >= LogLevel.Information)).ToList();
        Assert.True(serious.Count == 0, string.Join(Environment.NewLine, serious.Select(l => $"{l.Level} {l.Category}: {l.Message} {l.Exception}")));
    }

    /// <summary>A valid signed status webhook padded with spaces to exactly <paramref name="size"/> bytes.</summary>
    private static byte[] PaddedBody(int size)
    {
        var json = Samples.StatusWebhook(templateId: 4242, entryTime: 1781000000).Trim();
        return Encoding.UTF8.GetBytes(json + new string(' ', size - Encoding.UTF8.GetByteCount(json)));
    }

    /// <summary>
    /// Writes the whole request before reading, over a raw socket: the server may answer 413 and close
    /// before reading an oversized body, which an HttpClient still sending would report as a broken
    /// connection instead of the answer.
    /// </summary>
    private static async Task<HttpStatusCode> PostAsync(InProcessService service, byte[] body, bool chunked)
    {
        await using var raw = await RawHttp.ConnectAsync(service.Client.Http.BaseAddress!);
        var signature = SignatureVerifier.Sign(TestSecrets.AppSecret, body);
        var head = $"POST {WebhookEndpoints.Route} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{SignatureVerifier.HeaderName}: {signature}\r\n"
            + (chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {body.Length}") + "\r\nConnection: close\r\n\r\n";
        var request = new MemoryStream();
        request.Write(Encoding.ASCII.GetBytes(head));
        if (chunked)
        {
            // Many small chunks: the framing alone is more than the body.
            for (var offset = 0; offset < body.Length; offset += 7)
            {
                var size = Math.Min(7, body.Length - offset);
                request.Write(Encoding.ASCII.GetBytes($"{size:x}\r\n"));
                request.Write(body, offset, size);
                request.Write("\r\n"u8);
            }

            request.Write("0\r\n\r\n"u8);
        }
        else
        {
            request.Write(body);
        }

        await raw.SendAsync(request.ToArray());
        var (status, _) = await raw.ReadResponseAsync(TimeSpan.FromSeconds(20));
        return (HttpStatusCode)status;
    }

    private static byte[] BodyOfDepth(int depth, long templateId)
    {
        // Body object, entry array, entry, changes array, change, value: six levels before the arrays.
        var arrays = depth - 6;
        var nested = new string('[', arrays) + new string(']', arrays);
        return Encoding.UTF8.GetBytes($$$"""{"object":"whatsapp_business_account","entry":[{"id":"109876543210987","time":1781000000,"changes":[{"field":"message_template_status_update","value":{"event":"APPROVED","message_template_id":{{{templateId}}},"message_template_name":"deep","message_template_language":"es","extra":{{{nested}}}}}]}]}""");
    }
}
