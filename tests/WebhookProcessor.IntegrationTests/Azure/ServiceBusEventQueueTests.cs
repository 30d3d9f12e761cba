using System.Text;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using WebhookProcessor.Azure;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Queue;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.IntegrationTests.Azure;

public sealed class ServiceBusEventQueueTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly Mock<IDeadLetterSink> _sink = new(MockBehavior.Strict);
    private readonly List<DeadLetter> _stored = [];
    private readonly ServiceBusSenderDouble _bus = new();

    public ServiceBusEventQueueTests()
    {
        _sink.Setup(s => s.AddAsync(It.IsAny<IReadOnlyList<DeadLetter>>(), It.IsAny<CancellationToken>()))
            .Callback<IReadOnlyList<DeadLetter>, CancellationToken>((d, _) => _stored.AddRange(d))
            .Returns(Task.CompletedTask);
    }

    [Fact]
    public async Task Enqueue_OneChange_OneMessageWithTheEventIdThatDecodesToTheChange()
    {
        var batch = EnvelopeReader.Read(Samples.Read("status-approved.json"), ReceivedAt);
        var change = Assert.Single(batch.Changes);

        await Queue().EnqueueAsync(batch);

        var message = Assert.Single(_bus.Messages);
        Assert.Equal(change.EventId, message.MessageId);
        Assert.Equal(change, ChangeMessageCodec.Decode(message.Body.ToString()));
        Assert.Equal(ChangeMessageCodec.ContentType, message.ContentType);
        Assert.Equal(change.Field, message.Subject);
        Assert.Equal(change.Field, message.ApplicationProperties[ServiceBusEventQueue.FieldProperty]);
        Assert.Equal(change.WabaId, message.ApplicationProperties[ServiceBusEventQueue.WabaIdProperty]);
        _sink.Verify(s => s.AddAsync(It.IsAny<IReadOnlyList<DeadLetter>>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Enqueue_ChangeAboutATemplate_TemplateIdPropertyBesideFieldAndAccount()
    {
        await Queue().EnqueueAsync(EnvelopeReader.Read(Samples.Read("status-approved.json"), ReceivedAt));

        var message = Assert.Single(_bus.Messages);
        Assert.Equal("1689556908129832", message.ApplicationProperties[ServiceBusEventQueue.TemplateIdProperty]);
    }

    [Theory]
    [InlineData("""{"field":"f","value":{}}""")]
    [InlineData("""{"field":"f","message_template_id":5,"value":{"template":{"message_template_id":7}}}""")]
    [InlineData("""{"field":"f","value":{"message_template_id":null}}""")]
    [InlineData("""{"field":"f","value":"message_template_id"}""")]
    public async Task Enqueue_NoTemplateIdUnderValue_NoTemplateIdProperty(string change)
    {
        await Queue().EnqueueAsync(new IngestBatch([new ChangeMessage("e1", "1099", "f", 1, ReceivedAt, change)], []));

        var message = Assert.Single(_bus.Messages);
        Assert.False(message.ApplicationProperties.ContainsKey(ServiceBusEventQueue.TemplateIdProperty));
        Assert.Equal("f", message.Subject);
        Assert.Equal("e1", message.MessageId);
    }

    [Fact]
    public async Task Enqueue_TemplateIdAfterOtherValueMembers_Found()
    {
        var change = """{"field":"f","value":{"event":"APPROVED","nested":{"a":[1,{"b":2}]},"message_template_id":"42"}}""";

        await Queue().EnqueueAsync(new IngestBatch([new ChangeMessage("e1", "1099", "f", 1, ReceivedAt, change)], []));

        Assert.Equal("42", Assert.Single(_bus.Messages).ApplicationProperties[ServiceBusEventQueue.TemplateIdProperty]);
    }

    [Fact]
    public async Task Requeue_ReplayedChange_SentUnderANewMessageIdWithTheSameEventIdInTheBody()
    {
        var change = new ChangeMessage("e1", "1099", "f", 1, ReceivedAt, """{"field":"f","value":{}}""");
        await Queue().EnqueueAsync(new IngestBatch([change], []));

        await Queue().RequeueAsync(change);

        // Duplicate detection would have dropped a second "e1"; the replay is a second message.
        Assert.Equal(2, _bus.Messages.Count);
        Assert.NotEqual("e1", _bus.Messages[1].MessageId);
        Assert.Equal(change, ChangeMessageCodec.Decode(_bus.Messages[1].Body.ToString()));
        Assert.Equal("e1", _bus.Messages[1].ApplicationProperties[ServiceBusEventQueue.ReplayOfProperty]);
    }

    [Fact]
    public async Task Enqueue_MultiChangeWebhook_OneSendWithEveryChange()
    {
        var batch = EnvelopeReader.Read(Samples.Read("forward-compat-unknown-field.json"), ReceivedAt);
        Assert.Equal(2, batch.Changes.Count);

        await Queue().EnqueueAsync(batch);

        Assert.Single(_bus.Sends);
        Assert.Equal(batch.Changes.Select(c => c.EventId), _bus.Messages.Select(m => m.MessageId));
        Assert.Equal(batch.Changes, _bus.Messages.Select(m => ChangeMessageCodec.Decode(m.Body.ToString())));
    }

    [Fact]
    public async Task Enqueue_MetaRetriesTheSameWebhook_QueueKeepsOneCopy()
    {
        var body = Samples.Read("status-approved.json");

        await Queue().EnqueueAsync(EnvelopeReader.Read(body, ReceivedAt));
        await Queue().EnqueueAsync(EnvelopeReader.Read(body, ReceivedAt.AddMinutes(1)));

        Assert.Equal(2, _bus.Sends.Count);
        Assert.Single(_bus.Messages);
    }

    [Fact]
    public async Task Enqueue_IntakeDeadLetters_GoToTheSinkAndNothingToServiceBus()
    {
        var batch = EnvelopeReader.Read(Encoding.UTF8.GetBytes("""{"object":"page","entry":[]}"""), ReceivedAt);

        await Queue().EnqueueAsync(batch);

        Assert.Empty(_bus.Sends);
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
        Assert.Contains("too large for a Service Bus message", stored.Reason, StringComparison.Ordinal);
        Assert.Contains("16384", stored.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enqueue_MoreThanOneBatchHolds_SplitsIntoFullBatchesAndSendsEveryChange()
    {
        var changes = Enumerable.Range(0, 10)
            .Select(i => new ChangeMessage($"e{i}", "1099", "f", 1, ReceivedAt, "{\"field\":\"f\",\"value\":{\"text\":\"" + new string('x', 3000) + "\"}}"))
            .ToList();

        await Queue(maxBatchBytes: 16 * 1024).EnqueueAsync(new IngestBatch(changes, []));

        Assert.Equal(changes.Select(c => c.EventId), _bus.Messages.Select(m => m.MessageId));
        Assert.True(_bus.Sends.Count >= 3, $"{_bus.Sends.Count} sends");
        Assert.All(_bus.Sends, send => Assert.True(send.Sum(ServiceBusSenderDouble.SizeOf) <= 16 * 1024));
        Assert.Empty(_stored);
    }

    [Fact]
    public async Task Enqueue_ServiceBusRefuses_ThrowsSoTheWebhookIsNotAcknowledged()
    {
        _bus.Failure = new UnauthorizedAccessException("Unauthorized access. 'Send' claim(s) are required to perform this operation.");
        var batch = EnvelopeReader.Read(Samples.Read("status-approved.json"), ReceivedAt);

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Queue().EnqueueAsync(batch));

        Assert.Empty(_bus.Messages);
    }

    [Fact]
    public async Task Enqueue_ServiceBusBusy_TheSdkErrorReachesTheCaller()
    {
        _bus.Failure = new ServiceBusException("busy", ServiceBusFailureReason.ServiceBusy);

        var ex = await Assert.ThrowsAsync<ServiceBusException>(() => Queue().EnqueueAsync(EnvelopeReader.Read(Samples.Read("status-approved.json"), ReceivedAt)));

        Assert.Equal(ServiceBusFailureReason.ServiceBusy, ex.Reason);
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
    public async Task AddServiceBusQueue_FromConfiguration_ClientForTheNamespaceAndSenderForTheQueue()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Queue:ServiceBus:ConnectionString"] = ServiceBusMode.ConnectionString,
            ["Queue:ServiceBus:QueueName"] = "events-test",
            ["Queue:ServiceBus:TransportType"] = "AmqpWebSockets",
            ["Queue:ServiceBus:Retry:MaxRetries"] = "7",
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(TimeProvider.System)
            .AddSingleton(_sink.Object)
            .AddLogging();
        services.AddServiceBusQueue();
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<ServiceBusClient>();
        var sender = provider.GetRequiredService<ServiceBusSender>();

        Assert.Equal(ServiceBusMode.Namespace, client.FullyQualifiedNamespace);
        Assert.Equal(ServiceBusTransportType.AmqpWebSockets, client.TransportType);
        Assert.Equal("events-test", sender.EntityPath);
        Assert.Equal(7, provider.GetRequiredService<IOptions<ServiceBusQueueOptions>>().Value.Retry.ToSdk().MaxRetries);
        Assert.IsType<ServiceBusEventQueue>(provider.GetRequiredService<IEventQueue>());
    }

    private ServiceBusEventQueue Queue(int? maxBatchBytes = null, IDeadLetterSink? sink = null) =>
        new(
            _bus.Object,
            Options.Create(new ServiceBusQueueOptions { MaxBatchBytes = maxBatchBytes }),
            sink ?? _sink.Object,
            TimeProvider.System,
            NullLogger<ServiceBusEventQueue>.Instance);
}
