using Microsoft.Extensions.Time.Testing;
using WebhookProcessor.Queue;

namespace WebhookProcessor.IntegrationTests.Contracts;

/// <summary>
/// What every queue with a consumer side does, through its ports only (<see cref="IEventQueue"/>,
/// <see cref="IQueueConsumer"/>, <see cref="IQueueMonitor"/>): lease with a visibility timeout and
/// redelivery, complete, abandon with a delay, dead-letter, statistics, and waking the consumer on
/// arrival. Time is a <see cref="FakeTimeProvider"/>, so no test waits for a timeout to pass.
/// One subclass per implementation; today the SQLite queue (the Service Bus queue has no consumer
/// here: on Azure the Functions trigger consumes).
/// </summary>
public abstract class QueueConsumerContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A bound far above any wait here that should finish at once; only a broken implementation reaches it.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    protected FakeTimeProvider Clock { get; } = new(Start);

    /// <summary>The settings every implementation is built with.</summary>
    protected QueueOptions Options { get; } = new() { MaxDeliveryCount = 3, VisibilityTimeout = TimeSpan.FromSeconds(30) };

    protected IEventQueue Intake { get; set; } = null!;

    protected IQueueConsumer Consumer { get; set; } = null!;

    protected IQueueMonitor Monitor { get; set; } = null!;

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    /// <summary>Stops the queue as a process stop would and opens it again on the same storage.</summary>
    protected abstract Task RestartAsync();

    [Fact]
    public async Task Lease_MoreVisibleThanMaxCount_ReturnsMaxCountOldestFirst()
    {
        await Intake.EnqueueAsync(Batch("a", "b", "c"));

        var first = await Consumer.LeaseAsync(2);
        var rest = await Consumer.LeaseAsync(10);

        Assert.Equal(["a", "b"], first.Select(m => m.Message.EventId).ToArray());
        Assert.Equal(["c"], rest.Select(m => m.Message.EventId).ToArray());
        Assert.All(first.Concat(rest), m => Assert.Equal(1, m.DeliveryCount));
    }

    [Fact]
    public async Task Lease_Leased_IsInvisibleUntilVisibilityTimeoutThenRedeliveredWithHigherCount()
    {
        await Intake.EnqueueAsync(Batch("a"));
        Assert.Single(await Consumer.LeaseAsync(10));

        var again = await HiddenForExactlyAsync(Options.VisibilityTimeout);

        Assert.Equal("a", again.Message.EventId);
        Assert.Equal(2, again.DeliveryCount);
    }

    [Fact]
    public async Task Complete_Leased_IsGoneForGood()
    {
        await Intake.EnqueueAsync(Batch("a", "b"));
        var leased = await Consumer.LeaseAsync(10);

        await Consumer.CompleteAsync(leased);
        Clock.Advance(Options.VisibilityTimeout * 2);

        Assert.Empty(await Consumer.LeaseAsync(10));
        Assert.Equal(0, (await Monitor.GetStatsAsync()).Depth);
    }

    [Fact]
    public async Task Complete_LeaseExpiredAndTakenAgain_LeavesTheNewDeliveryAlone()
    {
        await Intake.EnqueueAsync(Batch("a"));
        var stale = await Consumer.LeaseAsync(10);
        Clock.Advance(Options.VisibilityTimeout);
        var current = await Consumer.LeaseAsync(10);

        await Consumer.CompleteAsync(stale);
        Assert.Equal(1, (await Monitor.GetStatsAsync()).Depth);
        await Consumer.CompleteAsync(current);

        Assert.Equal(0, (await Monitor.GetStatsAsync()).Depth);
    }

    [Fact]
    public async Task Abandon_WithDelay_IsInvisibleBeforeTheDelayAndVisibleAfterKeepingItsCount()
    {
        await Intake.EnqueueAsync(Batch("a"));
        var leased = Assert.Single(await Consumer.LeaseAsync(10));

        await Consumer.AbandonAsync(leased, "IOException: disk busy", TimeSpan.FromSeconds(5));
        var again = await HiddenForExactlyAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("a", again.Message.EventId);
        Assert.Equal(2, again.DeliveryCount);
    }

    [Fact]
    public async Task Abandon_DelayShorterThanVisibilityTimeout_ComesBackBeforeTheLeaseWouldHaveExpired()
    {
        await Intake.EnqueueAsync(Batch("a"));
        var leased = Assert.Single(await Consumer.LeaseAsync(10));

        await Consumer.AbandonAsync(leased, "busy", TimeSpan.Zero);

        Assert.Single(await Consumer.LeaseAsync(10));
    }

    [Fact]
    public async Task DeadLetter_Leased_IsListedWithReasonAndNoLongerLeasable()
    {
        await Intake.EnqueueAsync(Batch("a", "b"));
        var leased = await Consumer.LeaseAsync(10);

        await Consumer.DeadLetterAsync(leased[0], DeadLetterSource.Poison, "message_template_id is missing");
        await Consumer.CompleteAsync([leased[1]]);
        Clock.Advance(Options.VisibilityTimeout * 2);

        Assert.Empty(await Consumer.LeaseAsync(10));
        var listed = Assert.Single((await Monitor.ListDeadLettersAsync(10, null)).Items);
        Assert.Equal("a", listed.MessageId);
        Assert.Equal(DeadLetterSource.Poison, listed.Source);
        Assert.Equal("message_template_id is missing", listed.Reason);
        Assert.Equal(1, listed.DeliveryCount);
        var stored = await Monitor.GetDeadLetterAsync(listed.Id);
        Assert.Equal(Body, System.Text.Encoding.UTF8.GetString(stored!.DeadLetter.Body));
    }

    [Fact]
    public async Task Lease_DeliveredMaxTimesWithoutCompleting_IsDeadLetteredInstead()
    {
        await Intake.EnqueueAsync(Batch("a"));
        for (var delivery = 1; delivery <= Options.MaxDeliveryCount; delivery++)
        {
            Assert.Equal(delivery, Assert.Single(await Consumer.LeaseAsync(10)).DeliveryCount);
            Clock.Advance(Options.VisibilityTimeout);
        }

        Assert.Empty(await Consumer.LeaseAsync(10));
        var listed = Assert.Single((await Monitor.ListDeadLettersAsync(10, null)).Items);
        Assert.Equal(DeadLetterSource.RetriesExhausted, listed.Source);
        Assert.Equal(Options.MaxDeliveryCount, listed.DeliveryCount);
        Assert.Contains($"Delivered {Options.MaxDeliveryCount} times", listed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_QueuedAndDeadLettered_ReportDepthOldestEnqueueAndDeadLetterCount()
    {
        var empty = await Monitor.GetStatsAsync();
        Assert.Equal(new QueueStats(0, null, 0), empty);

        await Intake.EnqueueAsync(Batch("a"));
        Clock.Advance(TimeSpan.FromMinutes(3));
        await Intake.EnqueueAsync(Batch("b", "c"));
        var leased = await Consumer.LeaseAsync(10);
        await Consumer.DeadLetterAsync(leased[2], DeadLetterSource.Poison, "bad");

        var stats = await Monitor.GetStatsAsync();

        // Leased changes still count: they are not done until completed.
        Assert.Equal(2, stats.Depth);
        Assert.Equal(Start, stats.OldestEnqueuedAt);
        Assert.Equal(1, stats.DeadLetterCount);
    }

    [Fact]
    public async Task WaitForArrival_EnqueueWhileWaiting_WakesTheWaiter()
    {
        var wait = Consumer.WaitForArrivalAsync(TimeSpan.FromHours(1), CancellationToken.None);
        Assert.False(wait.IsCompleted);

        await Intake.EnqueueAsync(Batch("a"));

        Assert.True(await wait.WaitAsync(Deadline));
    }

    [Fact]
    public async Task WaitForArrival_EnqueueBeforeWaiting_IsKeptForTheNextWait()
    {
        await Intake.EnqueueAsync(Batch("a"));

        Assert.True(await Consumer.WaitForArrivalAsync(TimeSpan.FromHours(1), CancellationToken.None).WaitAsync(Deadline));
        var next = Consumer.WaitForArrivalAsync(TimeSpan.FromHours(1), CancellationToken.None);
        Assert.False(next.IsCompleted);
    }

    [Fact]
    public async Task WaitForArrival_NothingArrives_ReturnsFalseOnceTheQueueClockPassesTheTimeout()
    {
        var wait = Consumer.WaitForArrivalAsync(TimeSpan.FromHours(1), CancellationToken.None);

        Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.False(wait.IsCompleted);
        Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.False(await wait.WaitAsync(Deadline));
    }

    [Fact]
    public async Task WaitForArrival_Cancelled_Throws()
    {
        using var cancel = new CancellationTokenSource();
        var wait = Consumer.WaitForArrivalAsync(TimeSpan.FromHours(1), cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Deadline));
    }

    [Fact]
    public async Task Restart_QueuedAndLeasedMessages_SurviveAndStrandedLeasesComeBackAtOnceKeepingTheirCount()
    {
        await Intake.EnqueueAsync(Batch("a", "b"));
        Assert.Single(await Consumer.LeaseAsync(1));

        // No clock movement: the stopped run's lease of "a" must not hold it for the visibility timeout.
        await RestartAsync();
        var leased = await Consumer.LeaseAsync(10);

        Assert.Equal(["a", "b"], leased.Select(m => m.Message.EventId).ToArray());
        Assert.Equal([2, 1], leased.Select(m => m.DeliveryCount).ToArray());
        Assert.Equal(Body, leased[0].Message.Change);
    }

    private const string Body = """{"field":"message_template_status_update","value":{"event":"APPROVED","message_template_id":1}}""";

    private static IngestBatch Batch(params string[] ids) =>
        new(ids.Select(id => new ChangeMessage(id, "555", "message_template_status_update", 1781000000, Start, Body)).ToList(), []);

    /// <summary>Not leasable a millisecond before <paramref name="wait"/> has passed on the queue's clock; leasable once it has.</summary>
    private async Task<LeasedMessage> HiddenForExactlyAsync(TimeSpan wait)
    {
        Clock.Advance(wait - TimeSpan.FromMilliseconds(1));
        Assert.Empty(await Consumer.LeaseAsync(10));
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        return Assert.Single(await Consumer.LeaseAsync(10));
    }
}
