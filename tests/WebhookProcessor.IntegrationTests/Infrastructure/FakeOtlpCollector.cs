using System.Text;
using Microsoft.AspNetCore.Http;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// A real Kestrel server on loopback standing in for an OpenTelemetry collector's OTLP/HTTP receiver: it
/// records every export (<c>POST /v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>) and answers 200.
/// Bodies are protobuf; their strings (span names, attribute values) read as UTF-8 in the recorded body.
/// </summary>
public sealed class FakeOtlpCollector : ScriptedLoopbackServer<object>
{
    public async Task<RecordedRequest> WaitForExportAsync(string path, string containing, TimeSpan timeout) =>
        (await Eventually.Until(
            () => Task.FromResult(Received.FirstOrDefault(r => r.Path == path && r.Body.Contains(containing, StringComparison.Ordinal))),
            r => r is not null,
            timeout,
            $"an export to {path} holding '{containing}'"))!;

    protected override async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        Take(context, Encoding.UTF8.GetString(body.ToArray()));
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-protobuf";
    }
}
