namespace WebhookProcessor.Catalog;

/// <summary>Starts the SQLite catalog's background checkpointer with the host; stopping is the container's disposal of the store.</summary>
public sealed class SqliteCatalogService(SqliteTemplateStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        store.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
