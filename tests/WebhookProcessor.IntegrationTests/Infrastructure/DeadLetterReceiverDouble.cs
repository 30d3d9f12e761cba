using Azure.Messaging.ServiceBus;
using Moq;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// A queue's dead-letter sub-queue at the SDK's seam: a Moq <see cref="ServiceBusReceiver"/> over
/// messages built with <see cref="ServiceBusModelFactory"/>. Peeks return at most <see cref="PeekPageSize"/>
/// messages from a sequence number on (a real peek may return fewer than asked); receives lock messages
/// until they are completed (removed) or abandoned (unlocked, delivery count + 1).
/// </summary>
public sealed class DeadLetterReceiverDouble
{
    private readonly Lock _gate = new();
    private readonly List<ServiceBusReceivedMessage> _messages = [];
    private readonly HashSet<long> _locked = [];

    public DeadLetterReceiverDouble()
    {
        Mock.Setup(r => r.PeekMessagesAsync(It.IsAny<int>(), It.IsAny<long?>(), It.IsAny<CancellationToken>()))
            .Returns((int max, long? from, CancellationToken _) => Task.FromResult(Peek(max, from ?? 0)));
        Mock.Setup(r => r.ReceiveMessagesAsync(It.IsAny<int>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .Returns((int max, TimeSpan? _, CancellationToken _) => Task.FromResult(Receive(max)));
        Mock.Setup(r => r.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>()))
            .Returns((ServiceBusReceivedMessage message, CancellationToken _) => Settle(message, remove: true));
        Mock.Setup(r => r.AbandonMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<IDictionary<string, object>>(), It.IsAny<CancellationToken>()))
            .Returns((ServiceBusReceivedMessage message, IDictionary<string, object> _, CancellationToken _) => Settle(message, remove: false));
        Mock.Setup(r => r.DisposeAsync()).Returns(ValueTask.CompletedTask);
    }

    public Mock<ServiceBusReceiver> Mock { get; } = new(MockBehavior.Strict);

    public ServiceBusReceiver Object => Mock.Object;

    public int PeekPageSize { get; set; } = 2;

    /// <summary>Messages now in the sub-queue, by sequence number.</summary>
    public IReadOnlyList<ServiceBusReceivedMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Sequence numbers received and neither completed nor abandoned.</summary>
    public IReadOnlyCollection<long> Locked
    {
        get
        {
            lock (_gate)
            {
                return [.. _locked];
            }
        }
    }

    public ServiceBusReceivedMessage Add(long sequenceNumber, string body, string reason, string description, string? messageId = null, IDictionary<string, object>? properties = null)
    {
        var all = new Dictionary<string, object>(properties ?? new Dictionary<string, object>())
        {
            ["DeadLetterReason"] = reason,
            ["DeadLetterErrorDescription"] = description,
        };
        var message = ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString(body),
            messageId: messageId ?? $"m{sequenceNumber}",
            properties: all,
            deliveryCount: 10,
            sequenceNumber: sequenceNumber,
            enqueuedTime: new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero).AddSeconds(sequenceNumber % 1_000_000));
        lock (_gate)
        {
            _messages.Add(message);
            _messages.Sort((a, b) => a.SequenceNumber.CompareTo(b.SequenceNumber));
        }

        return message;
    }

    private IReadOnlyList<ServiceBusReceivedMessage> Peek(int max, long from)
    {
        lock (_gate)
        {
            return [.. _messages.Where(m => m.SequenceNumber >= from).Take(Math.Min(max, PeekPageSize))];
        }
    }

    private IReadOnlyList<ServiceBusReceivedMessage> Receive(int max)
    {
        lock (_gate)
        {
            var taken = _messages.Where(m => !_locked.Contains(m.SequenceNumber)).Take(max).ToList();
            foreach (var message in taken)
            {
                _locked.Add(message.SequenceNumber);
            }

            return taken;
        }
    }

    private Task Settle(ServiceBusReceivedMessage message, bool remove)
    {
        lock (_gate)
        {
            if (!_locked.Remove(message.SequenceNumber))
            {
                return Task.FromException(new ServiceBusException("The lock supplied is invalid.", ServiceBusFailureReason.MessageLockLost));
            }

            if (remove)
            {
                _messages.RemoveAll(m => m.SequenceNumber == message.SequenceNumber);
            }
        }

        return Task.CompletedTask;
    }
}
