using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Options;
using WebhookProcessor.Processing;
using WebhookProcessor.Queue;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Azure;

/// <summary>
/// What the in-process receiver does with one message, decided once: complete it when the change was
/// applied, stale or a duplicate; abandon it when the store failed, after holding it for a backoff
/// that grows with its delivery count (Service Bus redelivers an abandoned message at once and
/// dead-letters it after the queue's <c>maxDeliveryCount</c>, so the wait is what lets a store outage
/// of minutes pass; history's event id keeps a retry exactly-once); dead-letter it at once, with a
/// reason and description, when it can never succeed (a body that is not a change message, a change
/// that is malformed, a change the store refuses as too large: the same changes the Functions
/// handler and the embedded worker dead-letter). The alert dispatcher is
/// woken by <see cref="TemplateEventProcessor"/> after a commit that planned alerts, as for the
/// embedded worker.
/// </summary>
public sealed partial class ServiceBusMessageHandler(
    TemplateEventProcessor processor,
    IOptions<ServiceBusQueueOptions> options,
    TimeProvider clock,
    ILogger<ServiceBusMessageHandler> logger,
    Telemetry.WebhookMetrics? metrics = null)
{
    /// <summary>Dead-letter reason for a body that is not a change message.</summary>
    public const string NotAChangeMessage = "NotAChangeMessage";

    /// <summary>Dead-letter reason for a change the processor rejected as malformed.</summary>
    public const string MalformedChange = "MalformedChange";

    /// <summary>Dead-letter reason for a change the store refuses every time (too large for a Table entity).</summary>
    public const string RefusedByStore = "RefusedByStore";

    /// <summary>Service Bus keeps reason and description as message properties; long texts are cut.</summary>
    private const int MaxDescriptionLength = 1024;

    public async Task HandleAsync(ProcessMessageEventArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var message = args.Message;
        ChangeMessage change;
        try
        {
            change = ChangeMessageCodec.Decode(message.Body.ToString()) with { TraceParent = ServiceBusTrace.Read(message.ApplicationProperties) };
        }
        catch (FormatException ex)
        {
            Log.DeadLettered(logger, message.MessageId, message.SequenceNumber, NotAChangeMessage, Security.LogText.Clean(ex.Message)!);
            await args.DeadLetterMessageAsync(message, NotAChangeMessage, Cut(ex.Message), args.CancellationToken);
            metrics?.DeadLettered(DeadLetterSourceNames.Metric(DeadLetterSource.Broker));
            return;
        }

        ProcessOutcome outcome;
        try
        {
            outcome = (await processor.ProcessAsync([change], args.CancellationToken))[0];
        }
        catch (Exception ex) when (!args.CancellationToken.IsCancellationRequested && PermanentStoreFailure.Describe(ex) is { } why)
        {
            Log.DeadLettered(logger, message.MessageId, message.SequenceNumber, RefusedByStore, why);
            await args.DeadLetterMessageAsync(message, RefusedByStore, Cut(why), args.CancellationToken);
            metrics?.DeadLettered(DeadLetterSourceNames.Metric(DeadLetterSource.Broker));
            return;
        }
        catch (Exception ex) when (!args.CancellationToken.IsCancellationRequested)
        {
            // The store failed: transient. Held for a while (the processor keeps renewing the lock), then
            // given back for another delivery.
            var settings = options.Value.Processor;
            var delay = Backoff.Delay(settings.RetryBaseDelay, settings.RetryMaxDelay, message.DeliveryCount, Random.Shared.NextDouble());
            Log.Abandoned(logger, change.EventId, message.DeliveryCount, delay, ex);
            await Task.Delay(delay, clock, args.CancellationToken);
            await args.AbandonMessageAsync(message, cancellationToken: args.CancellationToken);
            return;
        }

        if (outcome.Result == ProcessResult.Malformed)
        {
            Log.DeadLettered(logger, message.MessageId, message.SequenceNumber, MalformedChange, Security.LogText.Clean(outcome.Error)!);
            await args.DeadLetterMessageAsync(message, MalformedChange, Cut(outcome.Error ?? "The change is malformed."), args.CancellationToken);
            metrics?.DeadLettered(DeadLetterSourceNames.Metric(DeadLetterSource.Broker));
            return;
        }

        Log.Completed(logger, change.EventId, outcome.Result, message.DeliveryCount);
        await args.CompleteMessageAsync(message, args.CancellationToken);
    }

    /// <summary>Errors the processor reports outside a message (a lost link, a failed settlement): logged, the SDK retries.</summary>
    public Task HandleErrorAsync(ProcessErrorEventArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        Log.ProcessorError(logger, args.ErrorSource, args.EntityPath, args.Exception);
        return Task.CompletedTask;
    }

    private static string Cut(string text) => text.Length <= MaxDescriptionLength ? text : text[..MaxDescriptionLength] + "…";

    private static partial class Log
    {
        [LoggerMessage(EventId = 9111, Level = LogLevel.Debug, Message = "Event {EventId}: {Result} (delivery {DeliveryCount}); completed")]
        public static partial void Completed(ILogger logger, string eventId, ProcessResult result, int deliveryCount);

        [LoggerMessage(EventId = 9112, Level = LogLevel.Warning, Message = "Event {EventId} failed on delivery {DeliveryCount}; abandoned after {Delay} for Service Bus to redeliver")]
        public static partial void Abandoned(ILogger logger, string eventId, int deliveryCount, TimeSpan delay, Exception exception);

        [LoggerMessage(EventId = 9113, Level = LogLevel.Warning, Message = "Message {MessageId} (sequence {SequenceNumber}) dead-lettered as {Reason}: {Description}")]
        public static partial void DeadLettered(ILogger logger, string? messageId, long sequenceNumber, string reason, string description);

        [LoggerMessage(EventId = 9114, Level = LogLevel.Error, Message = "Service Bus processor error ({Source}) on {EntityPath}; the processor retries")]
        public static partial void ProcessorError(ILogger logger, ServiceBusErrorSource source, string entityPath, Exception exception);
    }
}
