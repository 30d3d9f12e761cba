using System.Text;
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
    private StoreSet _tables = null!;
    private ServiceBusQueueMonitor _monitor = null!;

    public Task InitializeAsync()
    {
        _tables = TableStores.Create(azurite);
        _monitor = new ServiceBusQueueMonitor((TableDeadLetterStore)_tables.Monitor, new ServiceBusDeadLetterQueue(_broker.Object, NullLogger<ServiceBusDeadLetterQueue>.Instance));
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
