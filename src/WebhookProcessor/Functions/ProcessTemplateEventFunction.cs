using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using WebhookProcessor.Processing;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Functions;

/// <summary>
/// The Service Bus trigger: the host posts one queued change and settles the message from our answer.
/// 2xx completes it; anything else abandons it, and Service Bus redelivers it at once and dead-letters
/// it after the queue's <c>maxDeliveryCount</c>. A custom handler cannot dead-letter a message itself,
/// so a change that can never be processed is recorded in our own dead letters and completed.
/// </summary>
public sealed partial class ProcessTemplateEventFunction(
    IChangeMessageDecoder decoder,
    TemplateEventProcessor processor,
    IDeadLetterSink deadLetters,
    TimeProvider clock,
    ILogger<ProcessTemplateEventFunction> logger)
{
    public const string Name = "ProcessTemplateEvent";

    /// <summary>The trigger's binding name in function.json; the message arrives as <c>Data.message</c>.</summary>
    public const string Binding = "message";

    public async Task<Results<Ok<InvocationResponse>, ProblemHttpResult>> InvokeAsync(HttpContext context)
    {
        var payload = await InvocationPayload.ReadAsync(context.Request, context.RequestAborted);
        var text = payload?.DataText(Binding);
        if (payload is null || text is null)
        {
            // Not the message's fault: the binding name or the host changed. Failing lets Service Bus keep it.
            Log.BadInvocation(logger, Binding);
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a Service Bus invocation",
                detail: $"Expected {{\"Data\":{{\"{Binding}\":…}},\"Metadata\":{{…}}}} from the Functions host.");
        }

        var messageId = payload.MetadataText("MessageId");
        var deliveryCount = payload.MetadataInt("DeliveryCount") ?? 1;
        ChangeMessage message;
        try
        {
            message = decoder.Decode(text);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return await DeadLetterAsync(payload, text, messageId, deliveryCount, null, $"Not a change message: {ex.Message}", context.RequestAborted);
        }

        ProcessOutcome outcome;
        try
        {
            outcome = (await processor.ProcessAsync([message], context.RequestAborted))[0];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store failed: transient. Service Bus redelivers; history is keyed by event id, so a retry is safe.
            Log.Failed(logger, message.EventId, deliveryCount, ex);
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Processing failed",
                detail: $"Event {message.EventId} could not be stored (delivery {deliveryCount}); it will be redelivered.");
        }

        if (outcome.Result == ProcessResult.Malformed)
        {
            return await DeadLetterAsync(payload, text, messageId, deliveryCount, message, outcome.Error!, context.RequestAborted);
        }

        Log.Processed(logger, message.EventId, outcome.Result, deliveryCount);
        return TypedResults.Ok(InvocationResponse.Done($"Event {message.EventId}: {outcome.Result}"));
    }

    private async Task<Results<Ok<InvocationResponse>, ProblemHttpResult>> DeadLetterAsync(
        InvocationPayload payload, string text, string? messageId, int deliveryCount, ChangeMessage? message, string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var deadLetter = new DeadLetter(
            message?.EventId ?? messageId,
            DeadLetterSource.Poison,
            reason,
            message?.ReceivedAt ?? payload.MetadataTime("EnqueuedTimeUtc") ?? now,
            now,
            Encoding.UTF8.GetBytes(text),
            message?.WabaId,
            message?.Field,
            deliveryCount);
        try
        {
            await deadLetters.AddAsync([deadLetter], cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.DeadLetterFailed(logger, deadLetter.MessageId, ex);
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Dead letter not stored",
                detail: "The change is malformed, but it could not be recorded as a dead letter; it will be redelivered.");
        }

        Log.Malformed(logger, deadLetter.MessageId, Security.LogText.Clean(reason)!);
        return TypedResults.Ok(InvocationResponse.Done($"Message {deadLetter.MessageId} dead-lettered: {reason}"));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8001, Level = LogLevel.Debug, Message = "Event {EventId}: {Result} (delivery {DeliveryCount})")]
        public static partial void Processed(ILogger logger, string eventId, ProcessResult result, int deliveryCount);

        [LoggerMessage(EventId = 8002, Level = LogLevel.Warning, Message = "Message {MessageId} is malformed and was dead-lettered: {Reason}")]
        public static partial void Malformed(ILogger logger, string? messageId, string reason);

        [LoggerMessage(EventId = 8003, Level = LogLevel.Warning, Message = "Event {EventId} failed on delivery {DeliveryCount}; Service Bus will redeliver it")]
        public static partial void Failed(ILogger logger, string eventId, int deliveryCount, Exception exception);

        [LoggerMessage(EventId = 8004, Level = LogLevel.Error, Message = "Message {MessageId} is malformed but could not be dead-lettered; Service Bus will redeliver it")]
        public static partial void DeadLetterFailed(ILogger logger, string? messageId, Exception exception);

        [LoggerMessage(EventId = 8005, Level = LogLevel.Error, Message = "An invocation without Data.{Binding} reached the Service Bus function; check function.json")]
        public static partial void BadInvocation(ILogger logger, string binding);
    }
}
