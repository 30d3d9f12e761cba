using Microsoft.Extensions.Options;
using Moq;
using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;
using WebhookProcessor.Processing;
using WebhookProcessor.Queue;

namespace WebhookProcessor.IntegrationTests.Processing;

/// <summary>The processor's own steps around the store's commit: owners once per batch, the decision, the wake-up. Moq at the two store seams.</summary>
public sealed class TemplateEventProcessorTests : IDisposable
{
    private static readonly Owner Everyone = new() { Id = "all", DisplayName = "All", Emails = ["ops@example.com"] };

    private readonly Mock<INotificationStore> _notifications = new();
    private readonly AlertSignals _signals = new();
    private readonly List<EventDecision> _decided = [];

    public TemplateEventProcessorTests() =>
        _notifications.Setup(n => n.ListOwnersAsync(It.IsAny<CancellationToken>())).ReturnsAsync([Everyone]);

    public void Dispose() => _signals.Dispose();

    [Fact]
    public async Task Process_BatchThatMayAlert_LoadsOwnersOnceAndStoresTheirAlerts()
    {
        var processor = Processor(CommittingStore());

        var outcomes = await processor.ProcessAsync([Status("a", "REJECTED", 1), Status("b", "PAUSED", 2), Status("c", "APPROVED", 3)]);

        Assert.All(outcomes, o => Assert.Equal(ProcessResult.Applied, o.Result));
        _notifications.Verify(n => n.ListOwnersAsync(It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal([1, 1, 0], _decided.Select(d => d.Outbox.Count));
        Assert.All(_decided.SelectMany(d => d.Outbox), o => Assert.Equal(("all", "ops@example.com"), (o.OwnerId, o.Recipient)));
    }

    [Fact]
    public async Task Process_NoEventMayAlert_NeverLoadsOwners()
    {
        var processor = Processor(CommittingStore());

        await processor.ProcessAsync([Status("a", "APPROVED", 1), Status("b", "PENDING", 2)]);

        _notifications.Verify(n => n.ListOwnersAsync(It.IsAny<CancellationToken>()), Times.Never);
        Assert.All(_decided, d => Assert.Empty(d.Outbox));
    }

    [Fact]
    public async Task Process_CommitWroteAlerts_WakesTheDispatcher()
    {
        var processor = Processor(CommittingStore());

        await processor.ProcessAsync([Status("a", "REJECTED", 1)]);

        // Set before the wait: the signal is kept, so this returns at once; unset, the deadline cancels it.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.True(await _signals.For(AlertChannel.Email).WaitAsync(Timeout.InfiniteTimeSpan, TimeProvider.System, deadline.Token));
        Assert.False(deadline.IsCancellationRequested);
    }

    [Fact]
    public async Task Process_StoreFails_WakesNobodyAndThrows()
    {
        var store = new Mock<ITemplateStore>();
        store.Setup(s => s.ApplyAsync(It.IsAny<IReadOnlyList<TemplateEvent>>(), It.IsAny<DateTimeOffset>(), It.IsAny<Func<TemplateRecord?, TemplateEvent, EventDecision>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("disk full"));
        var processor = Processor(store.Object);

        await Assert.ThrowsAsync<InvalidOperationException>(() => processor.ProcessAsync([Status("a", "REJECTED", 1)]));
    }

    private TemplateEventProcessor Processor(ITemplateStore store) =>
        new(store, _notifications.Object, Options.Create(new NotificationOptions()), _signals, TimeProvider.System);

    /// <summary>A store that commits whatever the decision says, as a new template each time.</summary>
    private ITemplateStore CommittingStore()
    {
        var store = new Mock<ITemplateStore>();
        store.Setup(s => s.ApplyAsync(It.IsAny<IReadOnlyList<TemplateEvent>>(), It.IsAny<DateTimeOffset>(), It.IsAny<Func<TemplateRecord?, TemplateEvent, EventDecision>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyList<TemplateEvent> events, DateTimeOffset _, Func<TemplateRecord?, TemplateEvent, EventDecision> decide, CancellationToken _) =>
                events.Select(e =>
                {
                    var decision = decide(null, e);
                    _decided.Add(decision);
                    return new ApplyResult(e.EventId, Duplicate: false, decision.Applied, decision.Outbox.Count);
                }).ToList());
        return store.Object;
    }

    private static ChangeMessage Status(string id, string statusEvent, long templateId) => new(
        id, "555", "message_template_status_update", 1781000000, DateTimeOffset.UnixEpoch.AddYears(56),
        $$$"""{"field":"message_template_status_update","value":{"event":"{{{statusEvent}}}","message_template_id":{{{templateId}}},"message_template_name":"t{{{templateId}}}","message_template_language":"es"}}""");
}
