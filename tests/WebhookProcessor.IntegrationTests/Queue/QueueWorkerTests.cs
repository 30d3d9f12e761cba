using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using Microsoft.Extensions.Time.Testing;
using WebhookProcessor.Catalog;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Notifications;
using WebhookProcessor.Processing;
using WebhookProcessor.Queue;
using WebhookProcessor.Storage;

namespace WebhookProcessor.IntegrationTests.Queue;

/// <summary>The worker's error classes: malformed → dead letter now; store failure → retry with backoff, then dead letter.</summary>
public sealed class QueueWorkerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new("wp-worker-");
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly QueueOptions _options = new()
    {
        MaxDeliveryCount = 3,
        RetryBaseDelay = TimeSpan.FromSeconds(10),
        RetryMaxDelay = TimeSpan.FromMinutes(5),
    };

    private SqliteEventQueue _queue = null!;
    private SqliteTemplateStore _store = null!;
    private SqliteNotificationStore _notifications = null!;
    private readonly AlertSignals _signals = new();

    public Task InitializeAsync()
    {
        _queue = new SqliteEventQueue(new SqliteDatabase(Path.Combine(_folder.Path, "queue.db")), Options.Create(_options), _clock, NullLogger<SqliteEventQueue>.Instance);
        _notifications = new SqliteNotificationStore(new SqliteDatabase(Path.Combine(_folder.Path, "catalog.db")));
        _queue.Start();
        _store = new SqliteTemplateStore(new SqliteDatabase(Path.Combine(_folder.Path, "catalog.db")), TimeProvider.System, NullLogger<SqliteTemplateStore>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _queue.DisposeAsync();
        _store.Dispose();
        _notifications.Dispose();
        _signals.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Handle_MalformedChangeBesideGoodOnes_DeadLettersOnlyTheMalformed()
    {
        await _queue.EnqueueAsync(new IngestBatch([Status("good-1", 11), Malformed("bad"), Status("good-2", 12)], []));
        var worker = Worker(_store);

        await worker.HandleAsync(await _queue.LeaseAsync(10), CancellationToken.None);

        var stats = await _queue.Monitor.GetStatsAsync();
        Assert.Equal(0, stats.Depth);
        Assert.Equal(1, stats.DeadLetterCount);
        var deadLetter = (await _queue.Monitor.GetDeadLetterAsync(Assert.Single((await _queue.Monitor.ListDeadLettersAsync(10, null)).Items).Id))!.DeadLetter;
        Assert.Equal(DeadLetterSource.Poison, deadLetter.Source);
        Assert.Equal("bad", deadLetter.MessageId);
        Assert.Contains("message_template_id", deadLetter.Reason, StringComparison.Ordinal);
        Assert.NotNull(await _store.GetTemplateAsync(11));
        Assert.NotNull(await _store.GetTemplateAsync(12));
    }

    [Fact]
    public async Task Handle_CategoryNoticeAtEndOfCalendar_DeadLettersAtOnceWithTheReason()
    {
        // 9999-12-31T23:59:59Z with no timestamp: the estimated effective date would be past year 9999.
        await _queue.EnqueueAsync(new IngestBatch(
        [
            new ChangeMessage("far", "555", "template_category_update", 253402300799, Start,
                """{"field":"template_category_update","value":{"message_template_id":77,"message_template_name":"t","message_template_language":"es","new_category":"MARKETING","correct_category":"UTILITY"}}"""),
            Status("good", 78),
        ], []));
        var worker = Worker(_store);

        await worker.HandleAsync(await _queue.LeaseAsync(10), CancellationToken.None);

        var stats = await _queue.Monitor.GetStatsAsync();
        Assert.Equal(0, stats.Depth);
        var deadLetter = Assert.Single((await _queue.Monitor.ListDeadLettersAsync(10, null)).Items);
        Assert.Equal(DeadLetterSource.Poison, deadLetter.Source);
        Assert.Equal("far", deadLetter.MessageId);
        Assert.Equal(1, deadLetter.DeliveryCount);
        Assert.Contains("entry.time", deadLetter.Reason, StringComparison.Ordinal);
        Assert.NotNull(await _store.GetTemplateAsync(78));
    }

    [Fact]
    public async Task Handle_StoreFailing_RetriesWithGrowingBackoffThenDeadLetters()
    {
        var failing = new Mock<ITemplateStore>();
        failing.Setup(s => s.ApplyAsync(It.IsAny<IReadOnlyList<TemplateEvent>>(), It.IsAny<DateTimeOffset>(), It.IsAny<Func<TemplateRecord?, TemplateEvent, EventDecision>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new SqliteException("database or disk is full", 13));
        var worker = Worker(failing.Object);
        await _queue.EnqueueAsync(new IngestBatch([Status("e", 21)], []));

        // Delivery 1 fails: back in 8–12 s (10 s ± 20 %).
        await worker.HandleAsync(await _queue.LeaseAsync(10), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(7.9));
        Assert.Empty(await _queue.LeaseAsync(10));
        _clock.Advance(TimeSpan.FromSeconds(4.2));
        var second = Assert.Single(await _queue.LeaseAsync(10));
        Assert.Equal(2, second.DeliveryCount);

        // Delivery 2 fails: back in 16–24 s.
        await worker.HandleAsync([second], CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(15.9));
        Assert.Empty(await _queue.LeaseAsync(10));
        _clock.Advance(TimeSpan.FromSeconds(8.2));
        var third = Assert.Single(await _queue.LeaseAsync(10));

        // Delivery 3 is the last: dead-lettered with the error.
        await worker.HandleAsync([third], CancellationToken.None);
        var stats = await _queue.Monitor.GetStatsAsync();
        Assert.Equal(0, stats.Depth);
        var deadLetter = (await _queue.Monitor.GetDeadLetterAsync(Assert.Single((await _queue.Monitor.ListDeadLettersAsync(10, null)).Items).Id))!.DeadLetter;
        Assert.Equal(DeadLetterSource.RetriesExhausted, deadLetter.Source);
        Assert.Contains("database or disk is full", deadLetter.Reason, StringComparison.Ordinal);
        Assert.Equal(3, deadLetter.DeliveryCount);
    }

    [Fact]
    public async Task Handle_OneEventBreaksTheBatch_OthersAreStillApplied()
    {
        var store = new Mock<ITemplateStore>();
        store.Setup(s => s.ApplyAsync(It.IsAny<IReadOnlyList<TemplateEvent>>(), It.IsAny<DateTimeOffset>(), It.IsAny<Func<TemplateRecord?, TemplateEvent, EventDecision>>(), It.IsAny<CancellationToken>()))
            .Returns((IReadOnlyList<TemplateEvent> events, DateTimeOffset at, Func<TemplateRecord?, TemplateEvent, EventDecision> decide, CancellationToken ct) =>
                events.Any(e => e.TemplateId == 32)
                    ? throw new InvalidOperationException("cannot apply 32")
                    : _store.ApplyAsync(events, at, decide, ct));
        var worker = Worker(store.Object);
        await _queue.EnqueueAsync(new IngestBatch([Status("a", 31), Status("b", 32), Status("c", 33)], []));

        await worker.HandleAsync(await _queue.LeaseAsync(10), CancellationToken.None);

        Assert.NotNull(await _store.GetTemplateAsync(31));
        Assert.Null(await _store.GetTemplateAsync(32));
        Assert.NotNull(await _store.GetTemplateAsync(33));
        Assert.Equal(1, (await _queue.Monitor.GetStatsAsync()).Depth);
    }

    [Fact]
    public async Task Handle_SameEventQueuedThreeTimes_IsRecordedOnceAndAllCopiesComplete()
    {
        var worker = Worker(_store);
        await _queue.EnqueueAsync(new IngestBatch([Status("same", 51), Status("same", 51)], []));
        await _queue.EnqueueAsync(new IngestBatch([Status("same", 51)], []));

        await worker.HandleAsync(await _queue.LeaseAsync(10), CancellationToken.None);

        Assert.Equal(0, (await _queue.Monitor.GetStatsAsync()).Depth);
        Assert.Single((await _store.QueryEventsAsync(new EventQuery(TemplateId: 51))).Items);
    }

    [Fact]
    public async Task Handle_RedeliveredAfterApply_IsNotRecordedTwice()
    {
        var worker = Worker(_store);
        await _queue.EnqueueAsync(new IngestBatch([Status("e", 41)], []));
        var leased = await _queue.LeaseAsync(10);
        await Processor(_store).ProcessAsync(leased.Select(l => l.Message).ToList());

        // The process "crashed" before completing: the lease expires and the change comes back.
        _clock.Advance(_options.VisibilityTimeout + TimeSpan.FromSeconds(1));
        await worker.HandleAsync(await _queue.LeaseAsync(10), CancellationToken.None);

        Assert.Equal(0, (await _queue.Monitor.GetStatsAsync()).Depth);
        Assert.Single((await _store.QueryEventsAsync(new EventQuery(TemplateId: 41))).Items);
    }

    [Fact]
    public async Task Execute_Idle_IsWokenByAnArrivalWithoutWaitingForThePollInterval()
    {
        // The poll interval is an hour on a clock that never moves: only the arrival wake-up can explain processing.
        var options = Options.Create(new QueueOptions { IdlePollInterval = TimeSpan.FromHours(1) });
        using var worker = new QueueWorker(_queue, Processor(_store), options, _clock, NullLogger<QueueWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await _queue.EnqueueAsync(new IngestBatch([Status("arrived", 61)], []));

            await Eventually.Until(() => _queue.Monitor.GetStatsAsync(), s => s.Depth == 0, TimeSpan.FromSeconds(10), "the worker to apply the arrival");
            Assert.NotNull(await _store.GetTemplateAsync(61));
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Execute_QueueFailing_BacksOffOnTheInjectedClock()
    {
        var leases = 0;
        var consumer = new Mock<IQueueConsumer>();
        consumer.Setup(c => c.LeaseAsync(It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .Returns(() => Interlocked.Increment(ref leases) == 1
                ? Task.FromException<IReadOnlyList<LeasedMessage>>(new SqliteException("database is locked", 5))
                : Task.FromResult<IReadOnlyList<LeasedMessage>>([]));
        consumer.Setup(c => c.WaitForArrivalAsync(It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .Returns((TimeSpan _, CancellationToken ct) => Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => false, TaskScheduler.Default));
        // An hour's backoff: with a delay on the real clock the second lease could not happen within the test.
        var options = Options.Create(new QueueOptions { RetryBaseDelay = TimeSpan.FromHours(1), RetryMaxDelay = TimeSpan.FromHours(1) });
        using var worker = new QueueWorker(consumer.Object, Processor(_store), options, _clock, NullLogger<QueueWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.Until(() => Task.FromResult(Volatile.Read(ref leases)), n => n == 1, TimeSpan.FromSeconds(10), "the first (failing) lease");
            Assert.Equal(1, Volatile.Read(ref leases));

            // The worker may not have armed its delay yet when the clock first moves: keep moving it until the lease comes.
            await Eventually.Until(
                () =>
                {
                    _clock.Advance(TimeSpan.FromHours(1));
                    return Task.FromResult(Volatile.Read(ref leases));
                },
                n => n >= 2,
                TimeSpan.FromSeconds(10),
                "the lease after the backoff");
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    private QueueWorker Worker(ITemplateStore store) =>
        new(_queue, Processor(store), Options.Create(_options), _clock, NullLogger<QueueWorker>.Instance);

    private TemplateEventProcessor Processor(ITemplateStore store) =>
        new(store, _notifications, Options.Create(new NotificationOptions()), _signals, _clock);

    private static ChangeMessage Status(string id, long templateId) => new(
        id, "555", "message_template_status_update", 1781000000, Start,
        $$$"""{"field":"message_template_status_update","value":{"event":"APPROVED","message_template_id":{{{templateId}}},"message_template_name":"t","message_template_language":"es"}}""");

    private static ChangeMessage Malformed(string id) => new(
        id, "555", "message_template_status_update", 1781000000, Start,
        """{"field":"message_template_status_update","value":{"event":"APPROVED"}}""");
}
