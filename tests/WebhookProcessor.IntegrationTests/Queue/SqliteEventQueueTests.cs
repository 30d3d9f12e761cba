using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WebhookProcessor.Queue;
using WebhookProcessor.Storage;

using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Queue;

public sealed class SqliteEventQueueTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new("wp-queue-");
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly QueueOptions _options = new() { MaxDeliveryCount = 3, VisibilityTimeout = TimeSpan.FromSeconds(30) };
    private SqliteEventQueue _queue = null!;

    public Task InitializeAsync()
    {
        _queue = Open();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _queue.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Enqueue_ManyConcurrentCallers_AllCompleteAndAllAreStored()
    {
        var tasks = Enumerable.Range(0, 500).Select(i => Task.Run(() => _queue.EnqueueAsync(Batch(Change($"id-{i}"))))).ToArray();
        await Task.WhenAll(tasks);

        Assert.Equal(500, (await _queue.Monitor.GetStatsAsync()).Depth);
    }

    [Fact]
    public async Task Messages_DatabaseReopened_Survive()
    {
        await _queue.EnqueueAsync(Batch(Change("a")));
        await _queue.DisposeAsync();
        _queue = Open();

        var leased = Assert.Single(await _queue.LeaseAsync(10));
        Assert.Equal("a", leased.Message.EventId);
        Assert.Equal("""{"field":"f","value":{}}""", leased.Message.Change);
        Assert.Equal(1781000000, leased.Message.EntryTime);
    }

    [Fact]
    public async Task Messages_WithTraceParent_KeepItUntilLeased()
    {
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        await _queue.EnqueueAsync(Batch(Change("traced") with { TraceParent = traceParent }, Change("untraced")));
        await _queue.DisposeAsync();
        _queue = Open();

        var leased = await _queue.LeaseAsync(10);

        Assert.Equal([("traced", traceParent), ("untraced", null)], leased.Select(l => (l.Message.EventId, l.Message.TraceParent)));
    }

    [Fact]
    public async Task Open_QueueFileFromBeforeTraceContext_AddsTheColumnAndKeepsItsMessages()
    {
        await _queue.DisposeAsync();
        var file = Path.Combine(_folder.Path, "queue.db");
        File.Delete(file);
        using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file}"))
        {
            old.Open();
            SqliteDatabase.Execute(old, """
                CREATE TABLE messages (seq INTEGER PRIMARY KEY, message_id TEXT NOT NULL, waba_id TEXT NOT NULL, field TEXT NOT NULL,
                    entry_time INTEGER NULL, received_at INTEGER NOT NULL, body TEXT NOT NULL, enqueued_at INTEGER NOT NULL,
                    visible_at INTEGER NOT NULL, delivery_count INTEGER NOT NULL DEFAULT 0, lease_token TEXT NULL, last_error TEXT NULL);
                INSERT INTO messages (message_id, waba_id, field, entry_time, received_at, body, enqueued_at, visible_at)
                VALUES ('old', '555', 'f', NULL, 0, '{}', 0, 0);
                """);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _queue = Open();
        await _queue.EnqueueAsync(Batch(Change("new") with { TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" }));

        var leased = await _queue.LeaseAsync(10);

        Assert.Equal([("old", null), ("new", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")], leased.Select(l => (l.Message.EventId, l.Message.TraceParent)));
    }

    [Fact]
    public async Task DeadLetters_Paged_AreNewestFirst()
    {
        var letters = Enumerable.Range(0, 5)
            .Select(i => new DeadLetter(null, DeadLetterSource.Intake, $"reason {i}", Start, Start, [(byte)i]))
            .ToList();
        await _queue.EnqueueAsync(new IngestBatch([], letters));

        var first = await _queue.Monitor.ListDeadLettersAsync(3, null);
        var second = await _queue.Monitor.ListDeadLettersAsync(3, first.NextCursor);

        Assert.Equal(["reason 4", "reason 3", "reason 2"], first.Items.Select(d => d.Reason).ToArray());
        Assert.Equal(["reason 1", "reason 0"], second.Items.Select(d => d.Reason).ToArray());
        Assert.Null(second.NextCursor);
    }

    private SqliteEventQueue Open()
    {
        var queue = new SqliteEventQueue(
            new SqliteDatabase(Path.Combine(_folder.Path, "queue.db")), Options.Create(_options), _clock, NullLogger<SqliteEventQueue>.Instance);
        queue.Start();
        return queue;
    }

    private static ChangeMessage Change(string id) => new(id, "555", "f", 1781000000, Start, """{"field":"f","value":{}}""");

    private static IngestBatch Batch(params ChangeMessage[] changes) => new(changes, []);
}
