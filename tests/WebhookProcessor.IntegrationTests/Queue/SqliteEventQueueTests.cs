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
