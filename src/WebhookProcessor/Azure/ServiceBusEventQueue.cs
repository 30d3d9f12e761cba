using WebhookProcessor.AzureRest.ServiceBus;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Azure;

/// <summary>
/// The intake queue on Azure: each change becomes one Service Bus message whose <c>MessageId</c> is the
/// change's event id, so the queue's duplicate detection drops Meta's retries. Intake dead letters, and
/// a change too large for a Service Bus message, go to the <see cref="IDeadLetterSink"/>.
/// This class implements only the intake port (<see cref="IEventQueue"/>): on Azure the consumer side
/// (<see cref="IQueueConsumer"/>'s role) is the Functions host's <c>ProcessTemplateEvent</c> Service Bus
/// trigger, which leases, settles and dead-letters through the Functions runtime. A consumer on the
/// Azure SDK's receiver, implementing <see cref="IQueueConsumer"/> here, is left to a later change.
/// </summary>
public sealed partial class ServiceBusEventQueue(
    ServiceBusRestSender sender,
    IDeadLetterSink deadLetterSink,
    TimeProvider clock,
    ILogger<ServiceBusEventQueue> logger) : IEventQueue
{
    /// <summary>Application property with the change's subscribed field, for filters and the portal's message explorer.</summary>
    public const string FieldProperty = "field";

    /// <summary>Application property with the WhatsApp Business Account id.</summary>
    public const string WabaIdProperty = "wabaId";

    /// <summary>Completes once Service Bus answered 201 for every change and the sink stored every dead letter.</summary>
    public async Task EnqueueAsync(IngestBatch batch, CancellationToken cancellationToken = default)
    {
        var messages = new List<ServiceBusMessage>(batch.Changes.Count);
        var deadLetters = new List<DeadLetter>(batch.DeadLetters);
        foreach (var change in batch.Changes)
        {
            var message = ToMessage(change);
            var size = ServiceBusRestSender.GetEncodedSize(message);
            if (size > sender.MaxBatchBytes)
            {
                // Sending would fail on every retry of the webhook; keeping it as a dead letter lets Meta stop.
                Log.ChangeTooLarge(logger, change.EventId, size, sender.MaxBatchBytes);
                deadLetters.Add(TooLarge(change, size));
                continue;
            }

            messages.Add(message);
        }

        var send = messages.Count > 0 ? sender.SendAsync(messages, cancellationToken) : Task.CompletedTask;
        var store = deadLetters.Count > 0 ? deadLetterSink.AddAsync(deadLetters, cancellationToken) : Task.CompletedTask;
        await Task.WhenAll(send, store);
    }

    internal static ServiceBusMessage ToMessage(ChangeMessage change) =>
        new(change.EventId, ChangeMessageCodec.Encode(change))
        {
            ContentType = ChangeMessageCodec.ContentType,
            ApplicationProperties = new Dictionary<string, string>
            {
                [FieldProperty] = change.Field,
                [WabaIdProperty] = change.WabaId,
            },
        };

    private DeadLetter TooLarge(ChangeMessage change, int size) => new(
        change.EventId,
        DeadLetterSource.Intake,
        $"The change is {size} bytes as a Service Bus message; at most {sender.MaxBatchBytes} fit ({ServiceBusQueueOptions.SectionName}:MaxBatchBytes, below the tier's message size limit).",
        change.ReceivedAt,
        clock.GetUtcNow(),
        System.Text.Encoding.UTF8.GetBytes(change.Change),
        change.WabaId,
        change.Field);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Change {EventId} is {Size} bytes, over the Service Bus limit of {Limit}; stored as a dead letter")]
        public static partial void ChangeTooLarge(ILogger logger, string eventId, int size, int limit);
    }
}
