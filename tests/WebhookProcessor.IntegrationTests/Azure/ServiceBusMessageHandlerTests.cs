using Azure;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using WebhookProcessor.Azure;
using WebhookProcessor.Catalog;
using WebhookProcessor.IntegrationTests.Contracts;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Notifications;
using WebhookProcessor.Processing;
using WebhookProcessor.Queue;

namespace WebhookProcessor.IntegrationTests.Azure;

/// <summary>
/// The in-process receiver's decision per message, on real SQLite stores: messages built with
/// <see cref="ServiceBusModelFactory"/>, settled through real <see cref="ProcessMessageEventArgs"/>
/// over a Moq <see cref="ServiceBusReceiver"/> (the SDK's seam), where each settlement is verified.
/// </summary>
public sealed class ServiceBusMessageHandlerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly Mock<ServiceBusReceiver> _receiver = new(MockBehavior.Strict);
    private readonly AlertSignals _signals = new();
    private StoreSet _stores = null!;

    public Task InitializeAsync()
    {
        _stores = SqliteStores.Create();
        _receiver.Setup(r => r.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        _receiver.Setup(r => r.AbandonMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<IDictionary<string, object>>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        _receiver.Setup(r => r.DeadLetterMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stores.DisposeAsync();
        _signals.Dispose();
    }

    [Fact]
    public async Task Handle_NewChange_AppliedAndCompleted()
    {
        var message = Message(Change("e1", "APPROVED"));

        await Handler().HandleAsync(Args(message));

        _receiver.Verify(r => r.CompleteMessageAsync(message, It.IsAny<CancellationToken>()), Times.Once);
        VerifyNoOtherSettlement(complete: 1);
        Assert.Equal("APPROVED", (await _stores.Templates.GetTemplateAsync(4242))?.Status);
    }

    [Fact]
    public async Task Handle_MessageWithTraceparent_ProcessingContinuesTheSendersTrace()
    {
        var sender = new System.Diagnostics.ActivityContext(System.Diagnostics.ActivityTraceId.CreateRandom(), System.Diagnostics.ActivitySpanId.CreateRandom(), System.Diagnostics.ActivityTraceFlags.Recorded);
        var sent = ServiceBusEventQueue.ToMessage(Change("e-traced", "APPROVED") with { TraceParent = $"00-{sender.TraceId}-{sender.SpanId}-01" });
        var message = ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: sent.Body, messageId: sent.MessageId, sequenceNumber: 12, deliveryCount: 1, properties: sent.ApplicationProperties);
        var spans = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == WebhookProcessor.Telemetry.TelemetryNames.ActivitySource,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);

        await Handler().HandleAsync(Args(message));

        var process = Assert.Single(spans, s => s.TraceId == sender.TraceId && s.OperationName == TemplateEventProcessor.ProcessSpan);
        Assert.Equal((sender.SpanId, "e-traced"), (process.ParentSpanId, (string?)process.GetTagItem(WebhookProcessor.Telemetry.TelemetryTags.EventId)));
        VerifyNoOtherSettlement(complete: 1);
    }

    [Fact]
    public async Task Handle_Redelivery_DuplicateCompleted()
    {
        var change = Change("e1", "APPROVED");
        await Handler().HandleAsync(Args(Message(change)));

        var again = Message(change, deliveryCount: 2);
        await Handler().HandleAsync(Args(again));

        _receiver.Verify(r => r.CompleteMessageAsync(again, It.IsAny<CancellationToken>()), Times.Once);
        VerifyNoOtherSettlement(complete: 2);
    }

    [Fact]
    public async Task Handle_StoreFails_HeldForTheBackoffThenAbandonedForRedelivery()
    {
        var store = FailingStore(new TimeoutException("table storage did not answer"));
        var clock = new WatchedFakeTimeProvider(ReceivedAt);
        var message = Message(Change("e1", "APPROVED"), deliveryCount: 3);

        var handling = Handler(store, clock).HandleAsync(Args(message));
        var wait = await clock.WaitForTimerAsync(_ => true, TimeSpan.FromSeconds(10));

        // Third delivery: 2 s doubled twice, ±20 %.
        Assert.InRange(wait, TimeSpan.FromSeconds(6.4), TimeSpan.FromSeconds(9.6));
        clock.Advance(wait - TimeSpan.FromMilliseconds(1));
        Assert.False(handling.IsCompleted);
        _receiver.Verify(r => r.AbandonMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<IDictionary<string, object>>(), It.IsAny<CancellationToken>()), Times.Never);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        await handling.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);

        _receiver.Verify(r => r.AbandonMessageAsync(message, It.IsAny<IDictionary<string, object>>(), It.IsAny<CancellationToken>()), Times.Once);
        VerifyNoOtherSettlement(abandon: 1);
    }

    [Theory]
    [InlineData("EntityTooLarge")]
    [InlineData("PropertyValueTooLarge")]
    public async Task Handle_StoreRefusesTheChangeAsTooLarge_DeadLetteredAtOnce(string errorCode)
    {
        var store = FailingStore(new RequestFailedException(400, "The entity is larger than the maximum allowed size (1MB).", errorCode, null));
        var message = Message(Change("e1", "APPROVED"));

        await Handler(store).HandleAsync(Args(message));

        _receiver.Verify(r => r.DeadLetterMessageAsync(message, ServiceBusMessageHandler.RefusedByStore,
            It.Is<string>(d => d.Contains(errorCode, StringComparison.Ordinal)), It.IsAny<CancellationToken>()), Times.Once);
        VerifyNoOtherSettlement(deadLetter: 1);
    }

    [Fact]
    public async Task Handle_MalformedChange_DeadLetteredWithReasonAndDescription()
    {
        var change = new ChangeMessage("e1", "555", "message_template_status_update", 1781000000, ReceivedAt,
            """{"field":"message_template_status_update","value":{"event":"APPROVED"}}""");
        var message = Message(change);

        await Handler().HandleAsync(Args(message));

        _receiver.Verify(r => r.DeadLetterMessageAsync(message, ServiceBusMessageHandler.MalformedChange,
            It.Is<string>(d => d.Contains("message_template_id", StringComparison.Ordinal)), It.IsAny<CancellationToken>()), Times.Once);
        VerifyNoOtherSettlement(deadLetter: 1);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"v":1,"eventId":"e1"}""")]
    public async Task Handle_BodyNotAChangeMessage_DeadLetteredAsSuch(string body)
    {
        var message = ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromString(body), messageId: "m1", sequenceNumber: 7, deliveryCount: 1);

        await Handler().HandleAsync(Args(message));

        _receiver.Verify(r => r.DeadLetterMessageAsync(message, ServiceBusMessageHandler.NotAChangeMessage, It.Is<string>(d => d.Length > 0), It.IsAny<CancellationToken>()), Times.Once);
        VerifyNoOtherSettlement(deadLetter: 1);
    }

    [Fact]
    public async Task Handle_ChangeThatPlansAnAlert_WakesTheDispatcher()
    {
        await _stores.Notifications.SaveOwnerAsync(new Owner { Id = "ops", DisplayName = "Ops", Emails = ["ops@example.com"] }, ReceivedAt);

        await Handler().HandleAsync(Args(Message(Change("e1", "REJECTED"))));

        // Set before the wait, the signal is kept and this returns at once; unset, the deadline cancels it.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.True(await _signals.For(AlertChannel.Email).WaitAsync(Timeout.InfiniteTimeSpan, TimeProvider.System, deadline.Token));
    }

    private void VerifyNoOtherSettlement(int complete = 0, int abandon = 0, int deadLetter = 0)
    {
        _receiver.Verify(r => r.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>()), Times.Exactly(complete));
        _receiver.Verify(r => r.AbandonMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<IDictionary<string, object>>(), It.IsAny<CancellationToken>()), Times.Exactly(abandon));
        _receiver.Verify(r => r.DeadLetterMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Exactly(deadLetter));
    }

    private ServiceBusMessageHandler Handler(ITemplateStore? store = null, TimeProvider? clock = null) =>
        new(new TemplateEventProcessor(store ?? _stores.Templates, _stores.Notifications, Options.Create(new NotificationOptions()), _signals, TimeProvider.System),
            Options.Create(new ServiceBusQueueOptions()),
            clock ?? TimeProvider.System,
            NullLogger<ServiceBusMessageHandler>.Instance);

    private static ITemplateStore FailingStore(Exception error)
    {
        var store = new Mock<ITemplateStore>();
        store.Setup(s => s.ApplyAsync(It.IsAny<IReadOnlyList<TemplateEvent>>(), It.IsAny<DateTimeOffset>(), It.IsAny<Func<TemplateRecord?, TemplateEvent, EventDecision>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(error);
        return store.Object;
    }

    private ProcessMessageEventArgs Args(ServiceBusReceivedMessage message) => new(message, _receiver.Object, CancellationToken.None);

    private static ServiceBusReceivedMessage Message(ChangeMessage change, int deliveryCount = 1) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString(ChangeMessageCodec.Encode(change)),
            messageId: change.EventId,
            sequenceNumber: 11,
            deliveryCount: deliveryCount);

    private static ChangeMessage Change(string eventId, string status) => new(
        eventId, "555", "message_template_status_update", 1781000000, ReceivedAt,
        $$$"""{"field":"message_template_status_update","value":{"event":"{{{status}}}","message_template_id":4242,"message_template_name":"order_4242","message_template_language":"en_US"}}""");
}
