using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

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
public sealed class FakeTeamsEndpoint : IAsyncLifetime, IAsyncDisposable
{
    public const string Signature = "secret-signature";

    private readonly Lock _gate = new();
    private readonly Queue<Step> _script = new();
    private readonly List<RecordedRequest> _received = [];
    private Step _default = new(HttpStatusCode.Accepted, null, TimeSpan.Zero);
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    public static async Task<FakeTeamsEndpoint> StartAsync()
    {
        var endpoint = new FakeTeamsEndpoint();
        await endpoint.InitializeAsync();
        return endpoint;
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address);
    }

    /// <summary>A Workflows-like URL with the credential in the query, as owners configure it.</summary>
    public string Url(string path = "/workflows/abc") =>
        $"{new Uri(BaseAddress, path)}?api-version=1&sig={Signature}";

    /// <summary>The next <paramref name="times"/> requests get <paramref name="status"/> (and a <c>Retry-After</c> in seconds).</summary>
    public FakeTeamsEndpoint RespondWith(HttpStatusCode status, TimeSpan? retryAfter = null, int times = 1)
    {
        return Enqueue(new Step(status, retryAfter, TimeSpan.Zero), times);
    }

    /// <summary>Every request not covered by a queued step is sent on to <paramref name="location"/> with <paramref name="status"/> (a 3xx).</summary>
    public FakeTeamsEndpoint AlwaysRedirectTo(string location, HttpStatusCode status = HttpStatusCode.TemporaryRedirect)
    {
        lock (_gate)
        {
            _default = new Step(status, null, TimeSpan.Zero, location);
        }

        return this;
    }

    /// <summary>The next <paramref name="times"/> requests are answered with the default status after <paramref name="delay"/>.</summary>
    public FakeTeamsEndpoint Delay(TimeSpan delay, int times = 1)
    {
        lock (_gate)
        {
            return Enqueue(_default with { Delay = delay }, times);
        }
    }

    /// <summary>Every request not covered by a queued step gets this answer.</summary>
    public FakeTeamsEndpoint AlwaysRespondWith(HttpStatusCode status, TimeSpan? retryAfter = null, TimeSpan? delay = null)
    {
        lock (_gate)
        {
            _default = new Step(status, retryAfter, delay ?? TimeSpan.Zero);
        }

        return this;
    }

    public async Task<IReadOnlyList<RecordedRequest>> WaitForRequestsAsync(int count, TimeSpan timeout) =>
        await Eventually.Until(() => Task.FromResult(Received), r => r.Count >= count, timeout, $"{count} request(s) to the fake Teams endpoint");

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    private FakeTeamsEndpoint Enqueue(Step step, int times)
    {
        lock (_gate)
        {
            for (var i = 0; i < times; i++)
            {
                _script.Enqueue(step);
            }
        }

        return this;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var request = new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.QueryString.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body,
            TimeProvider.System.GetUtcNow());

        Step step;
        lock (_gate)
        {
            _received.Add(request);
            step = _script.TryDequeue(out var next) ? next : _default;
        }

        if (step.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(step.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up
            }
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

    private sealed record Step(HttpStatusCode Status, TimeSpan? RetryAfter, TimeSpan Delay, string? Location = null);
}
