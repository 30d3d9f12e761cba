using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using WebhookProcessor.Azure;
using WebhookProcessor.AzureRest.ServiceBus;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Queue;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.IntegrationTests.Azure;

public sealed class ServiceBusEventQueueTests : IAsyncLifetime
{
    private static readonly DateTimeOffset ReceivedAt = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly Mock<IDeadLetterSink> _sink = new(MockBehavior.Strict);
    private readonly List<DeadLetter> _stored = [];
    private FakeServiceBus _bus = null!;

    public async Task InitializeAsync()
    {
        _bus = await FakeServiceBus.StartAsync();
        _sink.Setup(s => s.AddAsync(It.IsAny<IReadOnlyList<DeadLetter>>(), It.IsAny<CancellationToken>()))
            .Callback<IReadOnlyList<DeadLetter>, CancellationToken>((d, _) => _stored.AddRange(d))
            .Returns(Task.CompletedTask);
    }

    public async Task DisposeAsync() => await _bus.DisposeAsync();

    [Fact]
    public async Task Enqueue_OneChange_OneMessageWithTheEventIdThatDecodesToTheChange()
    {
        var batch = EnvelopeReader.Read(Samples.Read("status-approved.json"), ReceivedAt);
        var change = Assert.Single(batch.Changes);

        await Queue().EnqueueAsync(batch);

        var message = Assert.Single(_bus.Messages);
        Assert.Equal(change.EventId, message.MessageId);
        Assert.Equal(change, ChangeMessageCodec.Decode(message.Body));
        Assert.Equal(ChangeMessageCodec.ContentType, message.ContentType);
        Assert.Equal(change.Field, message.UserProperties[ServiceBusEventQueue.FieldProperty]);
        Assert.Equal(change.WabaId, message.UserProperties[ServiceBusEventQueue.WabaIdProperty]);
        _sink.Verify(s => s.AddAsync(It.IsAny<IReadOnlyList<DeadLetter>>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Enqueue_MultiChangeWebhook_OneBatchRequestWithEveryChange()
    {
        var batch = EnvelopeReader.Read(Samples.Read("forward-compat-unknown-field.json"), ReceivedAt);
        Assert.Equal(2, batch.Changes.Count);

        await Queue().EnqueueAsync(batch);

        var request = Assert.Single(_bus.Requests);
        Assert.Equal("application/vnd.microsoft.servicebus.json", request.Headers["Content-Type"]);
        Assert.Equal(batch.Changes.Select(c => c.EventId), _bus.Messages.Select(m => m.MessageId));
        Assert.Equal(batch.Changes, _bus.Messages.Select(m => ChangeMessageCodec.Decode(m.Body)));
    }

    [Fact]
    public async Task Enqueue_MetaRetriesTheSameWebhook_QueueKeepsOneCopy()
    {
        var body = Samples.Read("status-approved.json");

        await Queue().EnqueueAsync(EnvelopeReader.Read(body, ReceivedAt));
        await Queue().EnqueueAsync(EnvelopeReader.Read(body, ReceivedAt.AddMinutes(1)));

        Assert.Equal(2, _bus.Requests.Count);
        Assert.Single(_bus.Messages);
    }

    [Fact]
    public async Task Enqueue_IntakeDeadLetters_GoToTheSinkAndNothingToServiceBus()
    {
        var batch = EnvelopeReader.Read(Encoding.UTF8.GetBytes("""{"object":"page","entry":[]}"""), ReceivedAt);

        await Queue().EnqueueAsync(batch);

        Assert.Empty(_bus.Requests);
        var stored = Assert.Single(_stored);
        Assert.Equal(DeadLetterSource.Intake, stored.Source);
        Assert.Same(batch.DeadLetters[0], stored);
    }

    [Fact]
    public async Task Enqueue_ChangesAndDeadLetters_BothStored()
    {
        var body = Samples.StatusWebhook(1, 1_700_000_000).Replace("\"changes\":[", "\"changes\":[42,", StringComparison.Ordinal);
        var batch = EnvelopeReader.Read(Encoding.UTF8.GetBytes(body), ReceivedAt);
        Assert.Single(batch.Changes);
        Assert.Single(batch.DeadLetters);

        await Queue().EnqueueAsync(batch);

        Assert.Single(_bus.Messages);
        Assert.Single(_stored);
    }

    [Fact]
    public async Task Enqueue_ChangeTooLargeForServiceBus_DeadLetteredWithTheSizeInsteadOfSent()
    {
        var small = new ChangeMessage("small", "1099", "f", 1, ReceivedAt, """{"field":"f","value":{}}""");
        var big = new ChangeMessage("big", "1099", "f", 1, ReceivedAt, "{\"field\":\"f\",\"value\":{\"text\":\"" + new string('x', 20_000) + "\"}}");

        await Queue(maxBatchBytes: 16 * 1024).EnqueueAsync(new IngestBatch([small, big], []));

        Assert.Equal("small", Assert.Single(_bus.Messages).MessageId);
        var stored = Assert.Single(_stored);
        Assert.Equal("big", stored.MessageId);
        Assert.Equal(big.Change, Encoding.UTF8.GetString(stored.Body));
        Assert.Contains("bytes as a Service Bus message", stored.Reason, StringComparison.Ordinal);
        Assert.Contains("16384", stored.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enqueue_ServiceBusRefuses_ThrowsSoTheWebhookIsNotAcknowledged()
    {
        _bus.RespondWith(HttpStatusCode.Forbidden);
        var batch = EnvelopeReader.Read(Samples.Read("status-approved.json"), ReceivedAt);

        var ex = await Assert.ThrowsAsync<ServiceBusRequestException>(() => Queue().EnqueueAsync(batch));

        Assert.Equal(403, ex.Status);
        Assert.Empty(_bus.Messages);
    }

    [Fact]
    public async Task Enqueue_SinkFails_Throws()
    {
        var sink = new Mock<IDeadLetterSink>();
        sink.Setup(s => s.AddAsync(It.IsAny<IReadOnlyList<DeadLetter>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new IOException("table unavailable"));
        var batch = EnvelopeReader.Read(Encoding.UTF8.GetBytes("not json"), ReceivedAt);

        await Assert.ThrowsAsync<IOException>(() => Queue(sink: sink.Object).EnqueueAsync(batch));
    }

    [Fact]
    public async Task AddServiceBusQueue_FromConfiguration_EnqueuesThroughTheStandIn()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Queue:ServiceBus:ConnectionString"] = _bus.ConnectionString(),
            ["Queue:ServiceBus:EndpointOverride"] = _bus.BaseAddress.ToString(),
            ["Queue:ServiceBus:QueueName"] = "events-test",
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(TimeProvider.System)
            .AddSingleton(_sink.Object)
            .AddLogging();
        services.AddServiceBusQueue();
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IEventQueue>().EnqueueAsync(EnvelopeReader.Read(Samples.Read("status-approved.json"), ReceivedAt));

        Assert.Equal("events-test", Assert.Single(_bus.Messages).Entity);
    }

    private ServiceBusEventQueue Queue(int maxBatchBytes = ServiceBusRestSenderOptions.DefaultMaxBatchBytes, IDeadLetterSink? sink = null) =>
        new(
            new ServiceBusRestSender(_bus.ConnectionString(), "template-events", _bus.SenderOptions(maxBatchBytes: maxBatchBytes)),
            sink ?? _sink.Object,
            TimeProvider.System,
            NullLogger<ServiceBusEventQueue>.Instance);
}
