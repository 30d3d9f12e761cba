using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Queue;
using WebhookProcessor.Storage;

namespace WebhookProcessor.IntegrationTests.Queue;

public sealed class SqliteEventQueueTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "wp-queue-" + Guid.NewGuid().ToString("N"));
    private readonly ManualClock _clock = new(Start);
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
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Lease_HidesMessagesUntilVisibilityTimeout_ThenRedeliversWithHigherCount()
    {
        await _queue.EnqueueAsync(Batch(Change("a"), Change("b")));

        var first = await _queue.LeaseAsync(10);
        Assert.Equal(["a", "b"], first.Select(m => m.Message.EventId).ToArray());
        Assert.All(first, m => Assert.Equal(1, m.DeliveryCount));
        Assert.Empty(await _queue.LeaseAsync(10));

        _clock.Advance(TimeSpan.FromSeconds(31));
        var second = await _queue.LeaseAsync(10);
        Assert.Equal(2, second.Count);
        Assert.All(second, m => Assert.Equal(2, m.DeliveryCount));

        // The first lease expired: completing with its token must not remove the redelivered message.
        await _queue.CompleteAsync(first);
        Assert.Equal(2, (await _queue.GetStatsAsync()).Depth);
        await _queue.CompleteAsync(second);
        Assert.Equal(0, (await _queue.GetStatsAsync()).Depth);
    }

    [Fact]
    public async Task Abandon_MakesMessageVisibleAfterTheDelay()
    {
        await _queue.EnqueueAsync(Batch(Change("a")));
        var leased = Assert.Single(await _queue.LeaseAsync(10));

        await _queue.AbandonAsync(leased, "IOException: disk busy", TimeSpan.FromSeconds(5));
        Assert.Empty(await _queue.LeaseAsync(10));
        _clock.Advance(TimeSpan.FromSeconds(5));

        var again = Assert.Single(await _queue.LeaseAsync(10));
        Assert.Equal(2, again.DeliveryCount);
    }

    [Fact]
    public async Task Lease_AfterMaxDeliveriesWithoutCompletion_DeadLettersWithReason()
    {
        await _queue.EnqueueAsync(Batch(Change("a")));
        for (var i = 0; i < _options.MaxDeliveryCount; i++)
        {
            Assert.Single(await _queue.LeaseAsync(10));
            _clock.Advance(TimeSpan.FromSeconds(31));
        }

        Assert.Empty(await _queue.LeaseAsync(10));
        var stats = await _queue.GetStatsAsync();
        Assert.Equal(0, stats.Depth);
        Assert.Equal(1, stats.DeadLetterCount);
        var deadLetter = (await _queue.GetDeadLetterAsync(Assert.Single((await _queue.ListDeadLettersAsync(10, null)).Items).Id))!.DeadLetter;
        Assert.Equal(DeadLetterSource.RetriesExhausted, deadLetter.Source);
        Assert.Equal("a", deadLetter.MessageId);
        Assert.Equal(3, deadLetter.DeliveryCount);
        Assert.Contains("Delivered 3 times", deadLetter.Reason, StringComparison.Ordinal);
        Assert.Contains("\"field\":\"f\"", System.Text.Encoding.UTF8.GetString(deadLetter.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enqueue_ManyConcurrentCallers_AllCompleteAndAllAreStored()
    {
        var tasks = Enumerable.Range(0, 500).Select(i => Task.Run(() => _queue.EnqueueAsync(Batch(Change($"id-{i}"))))).ToArray();
        await Task.WhenAll(tasks);

        Assert.Equal(500, (await _queue.GetStatsAsync()).Depth);
    }

    [Fact]
    public async Task Messages_SurviveReopeningTheDatabase()
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
    public async Task Reopen_AfterAStopWithChangesLeased_RedeliversThemAtOnceKeepingTheirCount()
    {
        await _queue.EnqueueAsync(Batch(Change("a")));
        Assert.Single(await _queue.LeaseAsync(10));
        await _queue.DisposeAsync();

        // No clock movement: without the release the change would wait out its visibility timeout.
        _queue = Open();
        var again = Assert.Single(await _queue.LeaseAsync(10));

        Assert.Equal("a", again.Message.EventId);
        Assert.Equal(2, again.DeliveryCount);
    }

    [Fact]
    public async Task DeadLetters_PageNewestFirst()
    {
        var letters = Enumerable.Range(0, 5)
            .Select(i => new DeadLetter(null, DeadLetterSource.Intake, $"reason {i}", Start, Start, [(byte)i]))
            .ToList();
        await _queue.EnqueueAsync(new IngestBatch([], letters));

        var first = await _queue.ListDeadLettersAsync(3, null);
        var second = await _queue.ListDeadLettersAsync(3, first.NextCursor);

        Assert.Equal(["reason 4", "reason 3", "reason 2"], first.Items.Select(d => d.Reason).ToArray());
        Assert.Equal(["reason 1", "reason 0"], second.Items.Select(d => d.Reason).ToArray());
        Assert.Null(second.NextCursor);
    }

    private SqliteEventQueue Open() => new(
        new SqliteDatabase(Path.Combine(_folder, "queue.db")), Options.Create(_options), _clock, NullLogger<SqliteEventQueue>.Instance);

    private static ChangeMessage Change(string id) => new(id, "555", "f", 1781000000, Start, """{"field":"f","value":{}}""");

    private static IngestBatch Batch(params ChangeMessage[] changes) => new(changes, []);
}
