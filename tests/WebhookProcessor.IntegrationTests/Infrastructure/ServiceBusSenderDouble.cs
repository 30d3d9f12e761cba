using Azure.Messaging.ServiceBus;
using Moq;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// A <see cref="ServiceBusSender"/> at the SDK's seam (there is no Service Bus emulator here): batches
/// built with <see cref="ServiceBusModelFactory"/> that fill up at <see cref="MaxMessageBytes"/> the way
/// the link's size limit does, sends recorded in order, and the queue's duplicate detection (a second
/// message with a known <c>MessageId</c> is accepted and dropped).
/// </summary>
public sealed class ServiceBusSenderDouble
{
    /// <summary>What each message costs besides its body (headers, properties): an estimate on the safe side.</summary>
    public const int OverheadBytes = 512;

    private readonly Lock _gate = new();
    private readonly List<ServiceBusMessage> _messages = [];
    private readonly HashSet<string> _ids = [];
    private readonly List<IReadOnlyList<ServiceBusMessage>> _sends = [];
    private readonly List<(ServiceBusMessage Message, DateTimeOffset At)> _scheduled = [];
    private long _sequence;

    public ServiceBusSenderDouble(string queueName = "template-events")
    {
        Mock.Setup(s => s.EntityPath).Returns(queueName);
        Mock.Setup(s => s.CreateMessageBatchAsync(It.IsAny<CreateMessageBatchOptions>(), It.IsAny<CancellationToken>()))
            .Returns((CreateMessageBatchOptions? options, CancellationToken _) => ValueTask.FromResult(NewBatch(options)));
        Mock.Setup(s => s.CreateMessageBatchAsync(It.IsAny<CancellationToken>()))
            .Returns((CancellationToken _) => ValueTask.FromResult(NewBatch(null)));
        Mock.Setup(s => s.SendMessagesAsync(It.IsAny<ServiceBusMessageBatch>(), It.IsAny<CancellationToken>()))
            .Returns((ServiceBusMessageBatch batch, CancellationToken _) => Accept(_batches[batch]));
        Mock.Setup(s => s.SendMessagesAsync(It.IsAny<IEnumerable<ServiceBusMessage>>(), It.IsAny<CancellationToken>()))
            .Returns((IEnumerable<ServiceBusMessage> messages, CancellationToken _) => Accept(messages.ToList()));
        Mock.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Returns((ServiceBusMessage message, CancellationToken _) => Accept([message]));
        Mock.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Returns((ServiceBusMessage message, DateTimeOffset at, CancellationToken _) => Schedule(message, at));
    }

    private readonly Dictionary<ServiceBusMessageBatch, List<ServiceBusMessage>> _batches = new(ReferenceEqualityComparer.Instance);

    public Mock<ServiceBusSender> Mock { get; } = new(MockBehavior.Strict);

    public ServiceBusSender Object => Mock.Object;

    /// <summary>The largest message (and batch) the stand-in namespace accepts: Standard tier's 256 KB.</summary>
    public long MaxMessageBytes { get; set; } = 256 * 1024;

    /// <summary>When set, creating a batch throws it, as opening the link does when the namespace, queue or credentials are wrong.</summary>
    public Exception? OpenFailure { get; set; }

    /// <summary>When set, every send and schedule throws it (and stores nothing).</summary>
    public Exception? Failure { get; set; }

    /// <summary>The messages the queue holds, in arrival order, after duplicate detection.</summary>
    public IReadOnlyList<ServiceBusMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Each send call with the messages it carried (duplicates included).</summary>
    public IReadOnlyList<IReadOnlyList<ServiceBusMessage>> Sends
    {
        get
        {
            lock (_gate)
            {
                return [.. _sends];
            }
        }
    }

    /// <summary>Messages scheduled for later, with when.</summary>
    public IReadOnlyList<(ServiceBusMessage Message, DateTimeOffset At)> Scheduled
    {
        get
        {
            lock (_gate)
            {
                return [.. _scheduled];
            }
        }
    }

    /// <summary>The size this double charges for a message: its body plus <see cref="OverheadBytes"/>.</summary>
    public static long SizeOf(ServiceBusMessage message) => message.Body.ToMemory().Length + OverheadBytes;

    private ServiceBusMessageBatch NewBatch(CreateMessageBatchOptions? options)
    {
        if (OpenFailure is { } failure)
        {
            throw failure;
        }

        if (options?.MaxSizeInBytes > MaxMessageBytes)
        {
            // As the SDK does when asked for more than the link allows.
            throw new ArgumentOutOfRangeException(nameof(options), "MaxSizeInBytes is larger than the link's maximum message size.");
        }

        var limit = options?.MaxSizeInBytes ?? MaxMessageBytes;
        var store = new List<ServiceBusMessage>();
        long size = 0;
        var batch = ServiceBusModelFactory.ServiceBusMessageBatch(
            0,
            store,
            new CreateMessageBatchOptions { MaxSizeInBytes = limit },
            message =>
            {
                var next = size + SizeOf(message);
                if (next > limit)
                {
                    return false;
                }

                size = next;
                return true;
            });
        lock (_gate)
        {
            _batches[batch] = store;
        }

        return batch;
    }

    private Task Accept(IReadOnlyList<ServiceBusMessage> messages)
    {
        if (Failure is { } failure)
        {
            return Task.FromException(failure);
        }

        lock (_gate)
        {
            _sends.Add([.. messages]);
            foreach (var message in messages)
            {
                if (message.MessageId is null || _ids.Add(message.MessageId))
                {
                    _messages.Add(message);
                }
            }
        }

        return Task.CompletedTask;
    }

    private Task<long> Schedule(ServiceBusMessage message, DateTimeOffset at)
    {
        if (Failure is { } failure)
        {
            return Task.FromException<long>(failure);
        }

        lock (_gate)
        {
            _scheduled.Add((message, at));
            return Task.FromResult(++_sequence);
        }
    }
}
