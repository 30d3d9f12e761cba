using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Options;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Azure;

/// <summary>
/// The intake queue on Azure: each change becomes one Service Bus message whose <c>MessageId</c> is the
/// change's event id, so the queue's duplicate detection drops Meta's retries. Changes are sent in
/// <see cref="ServiceBusMessageBatch"/>es, split where one is full. Intake dead letters, and a change too
/// large for any Service Bus message, go to the <see cref="IDeadLetterSink"/>.
/// </summary>
public sealed partial class ServiceBusEventQueue(
    ServiceBusSender sender,
    IOptions<ServiceBusQueueOptions> options,
    IDeadLetterSink deadLetterSink,
    TimeProvider clock,
    ILogger<ServiceBusEventQueue> logger,
    Telemetry.WebhookMetrics? metrics = null) : IEventQueue
{
    /// <summary>Application property with the change's subscribed field, for filters and the portal's message explorer.</summary>
    public const string FieldProperty = "field";

    /// <summary>Application property with the WhatsApp Business Account id.</summary>
    public const string WabaIdProperty = "wabaId";

    /// <summary>
    /// Application property with the template id (<c>value.message_template_id</c>) when the change has
    /// one, so an operator can find a template's messages in the portal without decoding bodies.
    /// </summary>
    public const string TemplateIdProperty = "templateId";

    /// <summary>Application property on a replayed change: the event id it replays.</summary>
    public const string ReplayOfProperty = "replayOf";

    /// <summary>Completes once Service Bus accepted every change and the sink stored every dead letter.</summary>
    public async Task EnqueueAsync(IngestBatch batch, CancellationToken cancellationToken = default)
    {
        var deadLetters = new List<DeadLetter>(batch.DeadLetters);
        if (batch.Changes.Count > 0)
        {
            System.Diagnostics.Activity.Current?.SetTag(Telemetry.TelemetryTags.MessagingSystem, "servicebus");
            System.Diagnostics.Activity.Current?.SetTag(Telemetry.TelemetryTags.MessagingDestination, options.Value.QueueName);

            // Sending finds the changes too large for any message; they join the dead letters stored after it.
            await SendAsync(batch.Changes, deadLetters, cancellationToken);
        }

        if (deadLetters.Count > 0)
        {
            await deadLetterSink.AddAsync(deadLetters, cancellationToken);
            metrics?.DeadLettered(DeadLetterSourceNames.Metric(DeadLetterSource.Intake), deadLetters.Count);
        }
    }

    private async Task SendAsync(IReadOnlyList<ChangeMessage> changes, List<DeadLetter> deadLetters, CancellationToken cancellationToken)
    {
        var batchOptions = new CreateMessageBatchOptions { MaxSizeInBytes = options.Value.MaxBatchBytes };
        var current = await sender.CreateMessageBatchAsync(batchOptions, cancellationToken);
        try
        {
            foreach (var change in changes)
            {
                var message = ToMessage(change);
                if (current.TryAddMessage(message))
                {
                    continue;
                }

                if (current.Count > 0)
                {
                    // The batch is full: send it and start the next one with this change.
                    await sender.SendMessagesAsync(current, cancellationToken);
                    current.Dispose();
                    current = await sender.CreateMessageBatchAsync(batchOptions, cancellationToken);
                    if (current.TryAddMessage(message))
                    {
                        continue;
                    }
                }

                // Alone in an empty batch and still too large: sending would fail on every retry of the
                // webhook, so it is kept as a dead letter and Meta gets its 200.
                Log.ChangeTooLarge(logger, change.EventId, change.Change.Length, current.MaxSizeInBytes);
                deadLetters.Add(TooLarge(change, current.MaxSizeInBytes));
            }

            if (current.Count > 0)
            {
                await sender.SendMessagesAsync(current, cancellationToken);
            }
        }
        finally
        {
            current.Dispose();
        }
    }

    /// <summary>
    /// Sends one change again (a replayed dead letter). Its <c>MessageId</c> is the event id with a
    /// replay suffix: under the plain event id the queue's duplicate detection would drop the message
    /// while the original is within its window, and the dead letter would then be removed with nothing
    /// queued. The body keeps the event id, so processing stays exactly-once.
    /// </summary>
    public async Task RequeueAsync(ChangeMessage change, CancellationToken cancellationToken = default)
    {
        var message = ToMessage(change);
        message.MessageId = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{change.EventId}.replay-{clock.GetUtcNow().ToUnixTimeMilliseconds()}");
        message.ApplicationProperties[ReplayOfProperty] = change.EventId;
        await sender.SendMessageAsync(message, cancellationToken);
    }

    internal static ServiceBusMessage ToMessage(ChangeMessage change)
    {
        var message = new ServiceBusMessage(BinaryData.FromString(ChangeMessageCodec.Encode(change)))
        {
            MessageId = change.EventId,
            ContentType = ChangeMessageCodec.ContentType,
            Subject = change.Field,
            ApplicationProperties =
            {
                [FieldProperty] = change.Field,
                [WabaIdProperty] = change.WabaId,
            },
        };
        if (ChangeTemplateId.Read(change.Change) is { } templateId)
        {
            message.ApplicationProperties[TemplateIdProperty] = templateId;
        }

        ServiceBusTrace.Write(message.ApplicationProperties, change.TraceParent);
        return message;
    }

    private DeadLetter TooLarge(ChangeMessage change, long limit) => new(
        change.EventId,
        DeadLetterSource.Intake,
        $"The change is too large for a Service Bus message: at most {limit} bytes fit ({ServiceBusQueueOptions.SectionName}:MaxBatchBytes, or the tier's message size limit).",
        change.ReceivedAt,
        clock.GetUtcNow(),
        System.Text.Encoding.UTF8.GetBytes(change.Change),
        change.WabaId,
        change.Field);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Change {EventId} ({Length} characters) does not fit a Service Bus message of at most {Limit} bytes; stored as a dead letter")]
        public static partial void ChangeTooLarge(ILogger logger, string eventId, int length, long limit);
    }
}
