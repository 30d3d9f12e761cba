using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// What the loopback fakes of outside services share: a real Kestrel server on 127.0.0.1 and a free
/// port, every request recorded, and a script of answers the test queues (<typeparamref name="TStep"/>,
/// taken one per request, oldest first). Subclasses decide what a request gets.
/// </summary>
public abstract class ScriptedLoopbackServer<TStep> : IAsyncLifetime, IAsyncDisposable
    where TStep : class
{
    private readonly Queue<TStep> _script = new();
    private readonly List<RecordedRequest> _received = [];
    private WebApplication? _app;

    /// <summary>Guards the script, the record and whatever state a subclass keeps beside them.</summary>
    protected Lock Gate { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Received
    {
        get
        {
            lock (Gate)
            {
                return [.. _received];
            }
        }
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

    protected abstract Task HandleAsync(HttpContext context);

    /// <summary>Queues <paramref name="step"/> for the next <paramref name="times"/> requests.</summary>
    protected void Enqueue(TStep step, int times)
    {
        lock (Gate)
        {
            for (var i = 0; i < times; i++)
            {
                _script.Enqueue(step);
            }
        }
    }

    /// <summary>Records the request and takes its scripted answer, or null when the script is empty.</summary>
    protected TStep? Take(HttpContext context, string body)
    {
        var request = new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.QueryString.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body,
            TimeProvider.System.GetUtcNow());
        lock (Gate)
        {
            _received.Add(request);
            return _script.TryDequeue(out var next) ? next : null;
        }
    }

    /// <summary>Waits <paramref name="delay"/> before answering; false when the client gave up meanwhile.</summary>
    protected static async Task<bool> DelayAsync(HttpContext context, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            return true;
        }

        try
        {
            await Task.Delay(delay, context.RequestAborted);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
