using System.Text;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Microsoft.Extensions.Logging.Abstractions;
using WebhookProcessor.Azure;
using WebhookProcessor.IntegrationTests.Contracts;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Queue;

namespace WebhookProcessor.IntegrationTests.Azure;

/// <summary>
/// Dead letters in Service Bus mode from both sources: the Table store on Azurite (real) and the
/// broker's dead-letter sub-queue at the SDK's seam (<see cref="DeadLetterReceiverDouble"/>).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServiceBusQueueMonitorTests(AzuriteServer azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly DeadLetterReceiverDouble _broker = new();
    private readonly QueueRuntimeDouble _runtime = new();
    private readonly FakeTimeProvider _clock = new(At);
    private StoreSet _tables = null!;
    private ServiceBusQueueMonitor _monitor = null!;

    public Task InitializeAsync()
    {
        _tables = TableStores.Create(azurite);
        _monitor = new ServiceBusQueueMonitor((TableDeadLetterStore)_tables.Monitor, new ServiceBusDeadLetterQueue(_broker.Object, NullLogger<ServiceBusDeadLetterQueue>.Instance), _runtime.Create(_clock));
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _tables.DisposeAsync();

    [Fact]
    public async Task ListDeadLetters_BothSources_PagesThroughEveryOneOnceTablesFirst()
    {
        await _tables.AddDeadLettersAsync([Intake("a", 1), Intake("b", 2), Intake("c", 3)]);
        foreach (var sequence in new long[] { 101, 102, 105, 107, 110 })
        {
            _broker.Add(sequence, "{}", "MaxDeliveryCountExceeded", $"failed {sequence}");
        }

        var ids = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await _monitor.ListDeadLettersAsync(2, cursor);
            Assert.InRange(page.Items.Count, 1, 2);
            ids.AddRange(page.Items.Select(i => i.Id));
            cursor = page.NextCursor;
            Assert.True(++pages < 20, "paging does not end");
        }
        while (cursor is not null);

        Assert.Equal(8, ids.Count);
        Assert.Equal(8, ids.Distinct().Count());
        Assert.All(ids.Take(3), id => Assert.True(long.TryParse(id, out _), id));
        Assert.Equal(["sb-101", "sb-102", "sb-105", "sb-107", "sb-110"], ids.Skip(3));
        Assert.Empty(_broker.Locked);
    }

    [Fact]
    public async Task GetStats_BrokerAnswers_DepthOldestActiveAndDeadLettersFromTheBrokerPlusTheTable()
    {
        await _tables.AddDeadLettersAsync([Intake("a", 1), Intake("b", 2)]);
        _runtime.Active = 3;
        _runtime.Scheduled = 1;
        _runtime.DeadLetters = 4;
        // A scheduled retry peeks first (lowest sequence number, earliest enqueue time) and is not waiting yet.
        _runtime.Peekable.Add(QueueRuntimeDouble.Message(1, At.AddHours(-1), ServiceBusMessageState.Scheduled));
        _runtime.Peekable.Add(QueueRuntimeDouble.Message(2, At.AddMinutes(-10)));
        _runtime.Peekable.Add(QueueRuntimeDouble.Message(3, At.AddMinutes(-5)));

        var stats = await _monitor.GetStatsAsync();

        Assert.Equal(new QueueStats(3, At.AddMinutes(-10), 6), stats);
    }

    [Fact]
    public async Task GetStats_EmptyQueue_NoPeekAndZeros()
    {
        var stats = await _monitor.GetStatsAsync();

        Assert.Equal(new QueueStats(0, null, 0), stats);
        _runtime.Queue.Verify(r => r.PeekMessagesAsync(It.IsAny<int>(), It.IsAny<long?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    public static TheoryData<Exception> BrokerFailures() => new()
    {
        new UnauthorizedAccessException("Manage claim required for this operation."),
        new ServiceBusException("The service was unable to process the request.", ServiceBusFailureReason.ServiceCommunicationProblem),
    };

    [Theory]
    [MemberData(nameof(BrokerFailures))]
    public async Task GetStats_BrokerCannotAnswer_FiguresUnknownNotZero(Exception failure)
    {
        await _tables.AddDeadLettersAsync([Intake("a", 1)]);
        _runtime.Active = 5;
        _runtime.Failure = failure;

        var stats = await _monitor.GetStatsAsync();

        Assert.Equal(QueueStats.Unknown, stats);
    }

    [Fact]
    public async Task GetStats_AgainWithinTheCacheTime_AsksTheBrokerOnceThenAgainAfter()
    {
        _runtime.Active = 1;
        _runtime.Peekable.Add(QueueRuntimeDouble.Message(7, At.AddSeconds(-30)));

        await _monitor.GetStatsAsync();
        _runtime.Active = 2;
        var cached = await _monitor.GetStatsAsync();
        _clock.Advance(ServiceBusQueueRuntime.CacheFor);
        var fresh = await _monitor.GetStatsAsync();

        Assert.Equal(1, cached.Depth);
        Assert.Equal(2, fresh.Depth);
        Assert.Equal(2, _runtime.RuntimeCalls);
    }

    [Fact]
    public async Task ListDeadLetters_BrokerMessage_ShowsReasonDescriptionCountAndSize()
    {
        var body = """{"v":1,"eventId":"e1"}""";
        _broker.Add(42, body, "MaxDeliveryCountExceeded", "Message could not be consumed after 10 delivery attempts.", "e1",
            new Dictionary<string, object> { [ServiceBusEventQueue.WabaIdProperty] = "555", [ServiceBusEventQueue.FieldProperty] = "message_template_status_update" });

        var item = Assert.Single((await _monitor.ListDeadLettersAsync(10, null)).Items);

        Assert.Equal("sb-42", item.Id);
        Assert.Equal("e1", item.MessageId);
        Assert.Equal(DeadLetterSource.Broker, item.Source);
        Assert.Equal("MaxDeliveryCountExceeded", item.Reason);
        Assert.Equal("Message could not be consumed after 10 delivery attempts.", item.Description);
        Assert.Equal(10, item.DeliveryCount);
        Assert.Equal(Encoding.UTF8.GetByteCount(body), item.BodyBytes);
        Assert.Equal("555", item.WabaId);
        Assert.Equal("message_template_status_update", item.Field);
        Assert.Equal(At.AddSeconds(42), item.ReceivedAt);
    }

    [Fact]
    public async Task GetDeadLetter_BrokerId_BodyPeekedAndLeftInPlace()
    {
        _broker.Add(7, "the body", "r", "d");

        var stored = await _monitor.GetDeadLetterAsync("sb-7");

        Assert.Equal("the body", Encoding.UTF8.GetString(stored!.DeadLetter.Body));
        Assert.Single(_broker.Messages);
        Assert.Empty(_broker.Locked);
        Assert.Null(await _monitor.GetDeadLetterAsync("sb-8"));
    }

    [Fact]
    public async Task RemoveDeadLetter_BrokerId_CompletesThatOneAndReleasesTheOthers()
    {
        foreach (var sequence in Enumerable.Range(1, 250))
        {
            _broker.Add(sequence, "{}", "r", "d");
        }

        Assert.True(await _monitor.RemoveDeadLetterAsync("sb-180"));

        Assert.Equal(249, _broker.Messages.Count);
        Assert.DoesNotContain(_broker.Messages, m => m.SequenceNumber == 180);
        Assert.Empty(_broker.Locked);
    }

    [Fact]
    public async Task RemoveDeadLetter_BrokerIdGone_FalseAndNothingLocked()
    {
        _broker.Add(1, "{}", "r", "d");

        Assert.False(await _monitor.RemoveDeadLetterAsync("sb-2"));

        Assert.Single(_broker.Messages);
        Assert.Empty(_broker.Locked);
    }

    [Fact]
    public async Task RemoveDeadLetter_TableId_RemovedFromTheTableOnly()
    {
        await _tables.AddDeadLettersAsync([Intake("a", 1)]);
        _broker.Add(1, "{}", "r", "d");
        var id = Assert.Single((await _monitor.ListDeadLettersAsync(10, null)).Items, i => i.Source == DeadLetterSource.Intake).Id;

        Assert.True(await _monitor.RemoveDeadLetterAsync(id));
        Assert.False(await _monitor.RemoveDeadLetterAsync(id));

        Assert.Null(await _monitor.GetDeadLetterAsync(id));
        Assert.Equal("sb-1", Assert.Single((await _monitor.ListDeadLettersAsync(10, null)).Items).Id);
    }

    [Theory]
    [InlineData("not-a-cursor!")]
    [InlineData("eDox")]
    public async Task ListDeadLetters_CursorNotIssuedHere_FormatException(string cursor) =>
        await Assert.ThrowsAsync<FormatException>(() => _monitor.ListDeadLettersAsync(10, cursor));

    private static DeadLetter Intake(string messageId, int minute) =>
        new(messageId, DeadLetterSource.Intake, "unreadable", At.AddMinutes(minute), At.AddMinutes(minute), Encoding.UTF8.GetBytes("nope"));
}
