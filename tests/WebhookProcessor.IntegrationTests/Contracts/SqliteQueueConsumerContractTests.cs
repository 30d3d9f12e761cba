using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using WebhookProcessor.Queue;
using WebhookProcessor.Storage;

namespace WebhookProcessor.IntegrationTests.Contracts;

public sealed class SqliteQueueConsumerContractTests : QueueConsumerContract
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "wp-qcc-" + Guid.NewGuid().ToString("N"));
    private SqliteEventQueue _queue = null!;

    public override Task InitializeAsync()
    {
        Open();
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        await _queue.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    protected override async Task RestartAsync()
    {
        await _queue.DisposeAsync();
        Open();
    }

    private void Open()
    {
        _queue = new SqliteEventQueue(
            new SqliteDatabase(Path.Combine(_folder, "queue.db")),
            Microsoft.Extensions.Options.Options.Create(Options),
            Clock,
            NullLogger<SqliteEventQueue>.Instance);
        _queue.Start();
        Intake = _queue;
        Consumer = _queue;
        Monitor = _queue.Monitor;
    }
}
