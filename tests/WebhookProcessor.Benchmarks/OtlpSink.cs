using System.Buffers;
using System.Globalization;

namespace WebhookProcessor.Benchmarks;

/// <summary>What an <see cref="OtlpSink"/> has received so far; subtract two to get one run's share.</summary>
internal sealed record OtlpCounts(long TraceRequests, long TraceBytes, long Spans, long MetricRequests, long MetricBytes, long OtherRequests)
{
    public static OtlpCounts operator -(OtlpCounts a, OtlpCounts b) => new(
        a.TraceRequests - b.TraceRequests, a.TraceBytes - b.TraceBytes, a.Spans - b.Spans,
        a.MetricRequests - b.MetricRequests, a.MetricBytes - b.MetricBytes, a.OtherRequests - b.OtherRequests);
}

/// <summary>
/// A loopback OTLP/HTTP receiver that keeps nothing: it reads each export, counts requests and bytes
/// (and the spans in a trace export, from the protobuf framing alone) and answers 200. The service under
/// test then runs its real export path (batching, protobuf serialization, HTTP) against a collector
/// that costs next to nothing itself, so the figure is the service's own cost of telemetry.
/// </summary>
internal sealed class OtlpSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _traceRequests;
    private long _traceBytes;
    private long _spans;
    private long _metricRequests;
    private long _metricBytes;
    private long _otherRequests;

    private OtlpSink(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The base address, as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> takes it (the exporter adds /v1/traces and /v1/metrics).</summary>
    public Uri Endpoint { get; }

    public OtlpCounts Counts => new(
        Interlocked.Read(ref _traceRequests), Interlocked.Read(ref _traceBytes), Interlocked.Read(ref _spans),
        Interlocked.Read(ref _metricRequests), Interlocked.Read(ref _metricBytes), Interlocked.Read(ref _otherRequests));

    public static async Task<OtlpSink> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // stdout is the benchmark's markdown summary: the sink logs nothing.
        builder.Logging.ClearProviders();
        var endpoint = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        builder.WebHost.UseUrls(endpoint.ToString());
        var app = builder.Build();
        var sink = new OtlpSink(app, endpoint);
        app.MapPost("/v1/traces", (Delegate)sink.TracesAsync);
        app.MapPost("/v1/metrics", (Delegate)sink.MetricsAsync);
        app.MapPost("/{**rest}", (Delegate)sink.OtherAsync);
        await app.StartAsync();
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> TracesAsync(HttpContext context)
    {
        var body = await ReadAsync(context);
        Interlocked.Increment(ref _traceRequests);
        Interlocked.Add(ref _traceBytes, body.Length);
        Interlocked.Add(ref _spans, OtlpSpanCounter.Count(body));
        return Ok(context);
    }

    private async Task<IResult> MetricsAsync(HttpContext context)
    {
        var body = await ReadAsync(context);
        Interlocked.Increment(ref _metricRequests);
        Interlocked.Add(ref _metricBytes, body.Length);
        return Ok(context);
    }

    private async Task<IResult> OtherAsync(HttpContext context)
    {
        await ReadAsync(context);
        Interlocked.Increment(ref _otherRequests);
        return Ok(context);
    }

    /// <summary>An empty protobuf body is a valid export response with no partial-success details.</summary>
    private static IResult Ok(HttpContext context)
    {
        context.Response.ContentType = "application/x-protobuf";
        return TypedResults.Ok();
    }

    private static async Task<byte[]> ReadAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }
}
