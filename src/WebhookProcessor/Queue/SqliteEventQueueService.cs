namespace WebhookProcessor.Queue;

/// <summary>
/// Starts the SQLite queue's background work (group-commit writer thread, WAL checkpointer) with the
/// host, so resolving the queue from the container starts nothing. It starts in
/// <see cref="StartingAsync"/>, which the host runs for every lifecycle service before any service's
/// <c>StartAsync</c>, so the writer is running before the worker whatever the registration order; a
/// webhook cannot arrive earlier, since the server starts after them. Stopping is the container's
/// disposal of the queue, which commits what was submitted before it closes.
/// </summary>
public sealed class SqliteEventQueueService(SqliteEventQueue queue) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        queue.Start();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
