using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebhookProcessor.Azure;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Queue;
using WebhookProcessor.Storage;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.IntegrationTests.Contracts;

/// <summary>
/// What every intake queue does, whatever is behind it: what the intake enqueued is what a consumer
/// receives, byte for byte, at least once; intake dead letters are kept with their bytes and reason.
/// One subclass per implementation (the SQLite queue, and Service Bus through its loopback stand-in).
/// </summary>
public abstract class EventQueueContract : IAsyncLifetime
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    protected IEventQueue Queue { get; set; } = null!;

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    /// <summary>Everything a consumer would now receive, in any order.</summary>
    protected abstract Task<IReadOnlyList<ChangeMessage>> ReceiveAllAsync();

    /// <summary>The intake dead letters stored so far.</summary>
    protected abstract Task<IReadOnlyList<DeadLetter>> DeadLettersAsync();

    private static IngestBatch Read(string json) => EnvelopeReader.Read(Encoding.UTF8.GetBytes(json), ReceivedAt);

    [Fact]
    public async Task Enqueue_EveryChange_IsReceivedAsSent()
    {
        var batch = EnvelopeReader.Read(Samples.Read("forward-compat-unknown-field.json"), ReceivedAt);
        Assert.Equal(2, batch.Changes.Count);

        await Queue.EnqueueAsync(batch);

        var received = await ReceiveAllAsync();
        Assert.Equal(batch.Changes.OrderBy(c => c.EventId), received.OrderBy(c => c.EventId));
    }

    [Fact]
    public async Task Enqueue_NonAsciiChange_KeepsEveryCharacter()
    {
        var batch = Read(Samples.StatusWebhook(4242, 1751247548).Replace("order_update_242", "recordatorio_pago_ñandú_¿listo?_🚀", StringComparison.Ordinal));

        await Queue.EnqueueAsync(batch);

        var received = Assert.Single(await ReceiveAllAsync());
        Assert.Contains("recordatorio_pago_ñandú_¿listo?_🚀", received.Change, StringComparison.Ordinal);
        Assert.Equal(batch.Changes[0], received);
    }

    [Fact]
    public async Task Enqueue_SameChangeTwice_IsReceivedAtLeastOnceAndAtMostTwice()
    {
        var body = Samples.StatusWebhook(4243, 1751247548);

        await Queue.EnqueueAsync(Read(body));
        await Queue.EnqueueAsync(Read(body));

        var received = await ReceiveAllAsync();
        Assert.InRange(received.Count, 1, 2);
        Assert.Single(received.Select(r => r.EventId).Distinct());
    }

    [Fact]
    public async Task Enqueue_IntakeDeadLetters_AreKeptWithTheirBytesAndReason()
    {
        var body = """{"object":"whatsapp_business_account","entry":[{"id":"109876543210987","time":1751247548,"changes":[{"field":"message_template_status_update","value":{"event":"APPROVED","message_template_id":4244,"message_template_name":"ok","message_template_language":"es"}},"not-a-change"]}]}""";
        var batch = Read(body);
        Assert.Single(batch.Changes);
        var expected = Assert.Single(batch.DeadLetters);

        await Queue.EnqueueAsync(batch);

        var stored = Assert.Single(await DeadLettersAsync());
        Assert.Equal(expected.Reason, stored.Reason);
        Assert.Equal(expected.Body, stored.Body);
        Assert.Single(await ReceiveAllAsync());
    }
}

public sealed class SqliteEventQueueContractTests : EventQueueContract
{
    private readonly TempFolder _folder = new("wp-qc-");
    private SqliteEventQueue _queue = null!;

    public override Task InitializeAsync()
    {
        _queue = new SqliteEventQueue(new SqliteDatabase(Path.Combine(_folder.Path, "queue.db")), Options.Create(new QueueOptions()), TimeProvider.System, NullLogger<SqliteEventQueue>.Instance);
        _queue.Start();
        Queue = _queue;
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        await _queue.DisposeAsync();
        _folder.Dispose();
    }

    protected override async Task<IReadOnlyList<ChangeMessage>> ReceiveAllAsync() =>
        (await _queue.LeaseAsync(1000)).Select(l => l.Message).ToList();

    protected override async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync()
    {
        var letters = new List<DeadLetter>();
        foreach (var summary in (await _queue.Monitor.ListDeadLettersAsync(100, null)).Items)
        {
            letters.Add((await _queue.Monitor.GetDeadLetterAsync(summary.Id))!.DeadLetter);
        }

        return letters;
    }
}

public sealed class ServiceBusEventQueueContractTests : EventQueueContract
{
    private readonly RecordingSink _sink = new();
    private readonly ServiceBusSenderDouble _bus = new(AzureNames.QueueName);

    public override Task InitializeAsync()
    {
        Queue = new ServiceBusEventQueue(
            _bus.Object,
            Options.Create(new ServiceBusQueueOptions()),
            _sink,
            TimeProvider.System,
            NullLogger<ServiceBusEventQueue>.Instance);
        return Task.CompletedTask;
    }

    public override Task DisposeAsync() => Task.CompletedTask;

    protected override Task<IReadOnlyList<ChangeMessage>> ReceiveAllAsync() =>
        Task.FromResult<IReadOnlyList<ChangeMessage>>(_bus.Messages.Select(m => ChangeMessageCodec.Decode(m.Body.ToString())).ToList());

    protected override Task<IReadOnlyList<DeadLetter>> DeadLettersAsync() => Task.FromResult<IReadOnlyList<DeadLetter>>(_sink.Stored);

    private sealed class RecordingSink : IDeadLetterSink
    {
        private readonly List<DeadLetter> _stored = [];

        public List<DeadLetter> Stored
        {
            get
            {
                lock (_stored)
                {
                    return [.. _stored];
                }
            }
        }

        public Task AddAsync(IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken = default)
        {
            lock (_stored)
            {
                _stored.AddRange(deadLetters);
            }

            return Task.CompletedTask;
        }
    }
}
