namespace WebhookProcessor.Queue;

/// <summary>
/// Starts the SQLite queue's background work (group-commit writer thread, WAL checkpointer) with the
/// host, so resolving the queue from the container starts nothing. Registered before the worker; a
/// webhook that arrives earlier simply waits for the writer. Stopping is the container's disposal of
/// the queue, which commits what was submitted before it closes.
/// </summary>
public sealed class SqliteEventQueueService(SqliteEventQueue queue) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        queue.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
