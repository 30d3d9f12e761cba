using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>One request as the fake Teams Workflows endpoint saw it.</summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    DateTimeOffset ReceivedAt);

/// <summary>
/// A real Kestrel server on loopback standing in for a Teams Workflows webhook. It records every
/// request and answers from a script: queued steps first (<see cref="RespondWith"/>, <see cref="Delay"/>),
/// then the default (202 Accepted unless <see cref="AlwaysRespondWith"/> changed it).
/// </summary>
public sealed class FakeTeamsEndpoint : ScriptedLoopbackServer<FakeTeamsEndpoint.Step>
{
    public const string Signature = "secret-signature";

    private Step _default = new(HttpStatusCode.Accepted, null, TimeSpan.Zero);

    public static async Task<FakeTeamsEndpoint> StartAsync()
    {
        var endpoint = new FakeTeamsEndpoint();
        await endpoint.InitializeAsync();
        return endpoint;
    }

    /// <summary>A Workflows-like URL with the credential in the query, as owners configure it.</summary>
    public string Url(string path = "/workflows/abc") =>
        $"{new Uri(BaseAddress, path)}?api-version=1&sig={Signature}";

    /// <summary>The next <paramref name="times"/> requests get <paramref name="status"/> (and a <c>Retry-After</c> in seconds).</summary>
    public FakeTeamsEndpoint RespondWith(HttpStatusCode status, TimeSpan? retryAfter = null, int times = 1)
    {
        return Script(new Step(status, retryAfter, TimeSpan.Zero), times);
    }

    /// <summary>Every request not covered by a queued step is sent on to <paramref name="location"/> with <paramref name="status"/> (a 3xx).</summary>
    public FakeTeamsEndpoint AlwaysRedirectTo(string location, HttpStatusCode status = HttpStatusCode.TemporaryRedirect)
    {
        lock (Gate)
        {
            _default = new Step(status, null, TimeSpan.Zero, location);
        }

        return this;
    }

    /// <summary>The next <paramref name="times"/> requests are answered with the default status after <paramref name="delay"/>.</summary>
    public FakeTeamsEndpoint Delay(TimeSpan delay, int times = 1)
    {
        lock (Gate)
        {
            return Script(_default with { Delay = delay }, times);
        }
    }

    /// <summary>Every request not covered by a queued step gets this answer.</summary>
    public FakeTeamsEndpoint AlwaysRespondWith(HttpStatusCode status, TimeSpan? retryAfter = null, TimeSpan? delay = null)
    {
        lock (Gate)
        {
            _default = new Step(status, retryAfter, delay ?? TimeSpan.Zero);
        }

        return this;
    }

    public async Task<IReadOnlyList<RecordedRequest>> WaitForRequestsAsync(int count, TimeSpan timeout) =>
        await Eventually.Until(() => Task.FromResult(Received), r => r.Count >= count, timeout, $"{count} request(s) to the fake Teams endpoint");

    private FakeTeamsEndpoint Script(Step step, int times)
    {
        Enqueue(step, times);
        return this;
    }

    protected override async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        Step step;
        var scripted = Take(context, body);
        lock (Gate)
        {
            step = scripted ?? _default;
        }

        if (!await DelayAsync(context, step.Delay))
        {
            return; // the client gave up
        }

        context.Response.StatusCode = (int)step.Status;
        if (step.Location is not null)
        {
            context.Response.Headers.Location = step.Location;
        }

        if (step.RetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>One scripted answer.</summary>
    public sealed record Step(HttpStatusCode Status, TimeSpan? RetryAfter, TimeSpan Delay, string? Location = null);
}
