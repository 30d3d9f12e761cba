using Azure;
using Azure.Messaging.ServiceBus;
using Azure.Messaging.ServiceBus.Administration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using WebhookProcessor.Azure;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// The broker's answers about the queue at the SDK's seam: a Moq <see cref="ServiceBusAdministrationClient"/>
/// whose runtime properties are built with <see cref="ServiceBusModelFactory"/>, and a Moq
/// <see cref="ServiceBusReceiver"/> on the queue itself that peeks <see cref="Peekable"/>. Set
/// <see cref="Failure"/> to make the broker refuse (or fail) both.
/// </summary>
public sealed class QueueRuntimeDouble
{
    private int _runtimeCalls;

    public QueueRuntimeDouble()
    {
        Administration.Setup(a => a.GetQueueRuntimePropertiesAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string name, CancellationToken _) =>
            {
                Interlocked.Increment(ref _runtimeCalls);
                return Failure is { } failure
                    ? Task.FromException<Response<QueueRuntimeProperties>>(failure)
                    : Task.FromResult(Response.FromValue(
                        ServiceBusModelFactory.QueueRuntimeProperties(name, activeMessageCount: Active, scheduledMessageCount: Scheduled, deadLetterMessageCount: DeadLetters),
                        Mock.Of<Response>()));
            });
        Queue.Setup(r => r.PeekMessagesAsync(It.IsAny<int>(), It.IsAny<long?>(), It.IsAny<CancellationToken>()))
            .Returns((int max, long? from, CancellationToken _) => Failure is { } failure
                ? Task.FromException<IReadOnlyList<ServiceBusReceivedMessage>>(failure)
                : Task.FromResult<IReadOnlyList<ServiceBusReceivedMessage>>([.. Peekable.Where(m => m.SequenceNumber >= (from ?? 0)).Take(max)]));
    }

    public Mock<ServiceBusAdministrationClient> Administration { get; } = new(MockBehavior.Strict);

    public Mock<ServiceBusReceiver> Queue { get; } = new(MockBehavior.Strict);

    public long Active { get; set; }

    public long Scheduled { get; set; }

    public long DeadLetters { get; set; }

    /// <summary>What both calls throw while set.</summary>
    public Exception? Failure { get; set; }

    /// <summary>What a peek of the queue returns, by sequence number.</summary>
    public List<ServiceBusReceivedMessage> Peekable { get; } = [];

    public int RuntimeCalls => Volatile.Read(ref _runtimeCalls);

    public ServiceBusQueueRuntime Create(TimeProvider clock, ILogger<ServiceBusQueueRuntime>? logger = null) =>
        new(Administration.Object, Queue.Object, Options.Create(new ServiceBusQueueOptions { QueueName = "webhooks" }), clock, logger ?? NullLogger<ServiceBusQueueRuntime>.Instance);

    /// <summary>A message as a peek returns it: <paramref name="state"/> tells active from scheduled.</summary>
    public static ServiceBusReceivedMessage Message(long sequenceNumber, DateTimeOffset enqueuedAt, ServiceBusMessageState state = ServiceBusMessageState.Active) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString("{}"),
            messageId: $"m{sequenceNumber}",
            sequenceNumber: sequenceNumber,
            enqueuedTime: enqueuedAt,
            serviceBusMessageState: state);
}
