namespace WebhookProcessor.Storage;

/// <summary>
/// Starts a store's background work with the host. It starts in <see cref="StartingAsync"/>, which the
/// host runs for every lifecycle service before any service's <c>StartAsync</c>, so the store is running
/// before the worker or dispatcher that uses it, whatever the registration order; requests cannot arrive
/// earlier, since the server starts after them. Stopping is the container's disposal of the store, which
/// finishes what was submitted before it closes.
/// </summary>
public sealed class StartWithHost<T>(T store) : IHostedLifecycleService
    where T : IStartsWithHost
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        store.Start();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
