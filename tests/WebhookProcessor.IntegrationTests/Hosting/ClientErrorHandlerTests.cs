using Microsoft.Extensions.Logging;
using WebhookProcessor.Functions;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Hosting;

/// <summary>A body the client broke is its fault on every endpoint, not only the webhook's.</summary>
public sealed class ClientErrorHandlerTests
{
    [Fact]
    public async Task FunctionEndpoint_BadChunkSize_Answers400AndLogsNoError()
    {
        var logs = new CapturedLogs();
        await using var service = await WebhookProcessor.IntegrationTests.Functions.ProcessTemplateEventTests.StartAsync(
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Debug" },
            overrides: logs.AddTo);
        await using var raw = await RawHttp.ConnectAsync(service.Client.Http.BaseAddress!);

        await raw.SendAsync($"POST /{ProcessTemplateEventFunction.Name} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{{}}\r\n0\r\n\r\n");
        var (status, _) = await raw.ReadResponseAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(400, status);
        var serious = logs.Entries.Where(l => l.Level >= LogLevel.Error || (l.Exception is not null && l.Level >= LogLevel.Information)).ToList();
        Assert.True(serious.Count == 0, string.Join(Environment.NewLine, serious.Select(l => $"{l.Level} {l.Category}: {l.Message} {l.Exception}")));
    }
}
