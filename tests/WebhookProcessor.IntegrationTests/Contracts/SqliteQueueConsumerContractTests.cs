using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using WebhookProcessor.Queue;
using WebhookProcessor.Storage;

using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Contracts;

public sealed class SqliteQueueConsumerContractTests : QueueConsumerContract
{
    private readonly TempFolder _folder = new("wp-qcc-");
    private SqliteEventQueue _queue = null!;

    public override Task InitializeAsync()
    {
        Open();
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        await _queue.DisposeAsync();
        _folder.Dispose();
    }

    protected override async Task RestartAsync()
    {
        await _queue.DisposeAsync();
        Open();
    }

    private void Open()
    {
        _queue = new SqliteEventQueue(
            new SqliteDatabase(Path.Combine(_folder.Path, "queue.db")),
            Microsoft.Extensions.Options.Options.Create(Options),
            Clock,
            NullLogger<SqliteEventQueue>.Instance);
        _queue.Start();
        Intake = _queue;
        Consumer = _queue;
        Monitor = _queue.Monitor;
    }
}
