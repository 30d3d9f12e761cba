using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WebhookProcessor.Azure;
using WebhookProcessor.Processing;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Functions;

/// <summary>
/// The Service Bus trigger: the host posts one queued change and settles the message from our answer.
/// 2xx completes it; anything else abandons it, and Service Bus redelivers it at once and dead-letters
/// it after the queue's <c>maxDeliveryCount</c>. A custom handler cannot settle a message itself, so:
/// <list type="bullet">
/// <item>a change that can never be processed (not a change message, malformed, larger than
/// <c>Functions:MaxInvocationBytes</c> or than a Table entity) is recorded in our own dead letters and
/// completed, exactly as the embedded worker dead-letters it;</item>
/// <item>a failure that may pass (the store threw) is retried later: a copy is scheduled on the queue
/// after a backoff (<see cref="RedeliveryPolicy"/>) and the original completed; history's event id keeps
/// the change applied once. A change still failing after <c>Queue:ServiceBus:Redelivery:GiveUpAfter</c>
/// becomes our dead letter;</item>
/// <item>only when even that cannot be stored (the retry not scheduled, the dead letter not written)
/// is the answer 500, so the host keeps the message and redelivers it.</item>
/// </list>
/// </summary>
public sealed partial class ProcessTemplateEventFunction(
    TemplateEventProcessor processor,
    IDeadLetterSink deadLetters,
    IRetryScheduler retries,
    RedeliveryPolicy policy,
    PlannedAlertDispatch alerts,
    IOptions<FunctionsOptions> options,
    TimeProvider clock,
    ILogger<ProcessTemplateEventFunction> logger,
    Telemetry.WebhookMetrics? metrics = null)
{
    public const string Name = "ProcessTemplateEvent";

    /// <summary>The trigger's binding name in function.json; the message arrives as <c>Data.message</c>.</summary>
    public const string Binding = "message";

    public async Task<Results<Ok<InvocationResponse>, ProblemHttpResult>> InvokeAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var limit = options.Value.MaxInvocationBytes;
        var body = await InvocationBody.ReadAsync(context, limit);
        if (body.TooLarge)
        {
            // Redelivering it would only fail again, ten times, and bury it in the broker's dead-letter queue.
            var eventId = body.EventIdHint();
            Log.TooLarge(logger, eventId, body.Length, limit);
            return await DeadLetterAsync(new DeadLetter(
                eventId,
                DeadLetterSource.Poison,
                $"The invocation is {body.Length} bytes, over {FunctionsOptions.SectionName}:MaxInvocationBytes ({limit}); only its first {body.Bytes.Length} bytes are kept here. Raise the setting, then send the change again.",
                clock.GetUtcNow(),
                clock.GetUtcNow(),
                body.Bytes.ToArray()), cancellationToken);
        }

        var payload = InvocationPayload.Parse(body.Bytes);
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
            message = ChangeMessageCodec.Decode(text);
        }
        catch (FormatException ex)
        {
            return await DeadLetterAsync(Poison(payload, text, messageId, deliveryCount, null, $"Not a change message: {ex.Message}"), cancellationToken);
        }

        var properties = ApplicationProperties(payload);
        var (retried, firstFailedAt) = RetryProperties.Read(properties);

        // The webhook's trace, as the intake set it on the message: processing joins it.
        message = message with { TraceParent = ServiceBusTrace.Read(properties) };
        ProcessOutcome outcome;
        try
        {
            outcome = (await processor.ProcessAsync([message], cancellationToken))[0];
        }
        catch (Exception ex) when (ex is not OperationCanceledException && PermanentStoreFailure.Describe(ex) is { } why)
        {
            Log.Refused(logger, message.EventId, ex);
            return await DeadLetterAsync(Poison(payload, text, messageId, retried + 1, message, why), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return await RetryLaterAsync(payload, text, message, properties, retried, firstFailedAt, ex, cancellationToken);
        }

        if (outcome.Result == ProcessResult.Malformed)
        {
            return await DeadLetterAsync(Poison(payload, text, messageId, deliveryCount, message, outcome.Error!), cancellationToken);
        }

        Log.Processed(logger, message.EventId, outcome.Result, deliveryCount);
        var logs = new List<string> { $"Event {message.EventId}: {outcome.Result}" };
        if (await alerts.DispatchAsync(cancellationToken) is { } sent)
        {
            logs.Add(sent);
        }

        return TypedResults.Ok(new InvocationResponse(new Dictionary<string, object?>(), logs, null));
    }

    private async Task<Results<Ok<InvocationResponse>, ProblemHttpResult>> RetryLaterAsync(
        InvocationPayload payload, string text, ChangeMessage message, IReadOnlyDictionary<string, string?> properties,
        int retried, DateTimeOffset? firstFailedAt, Exception error, CancellationToken cancellationToken)
    {
        var decision = policy.Decide(retried, firstFailedAt, clock.GetUtcNow(), Random.Shared.NextDouble());
        var reason = $"{error.GetType().Name}: {error.Message}";
        if (decision.GiveUp)
        {
            // Our dead letter rather than a 500 and the broker's: a 500 would spend the queue's deliveries
            // in seconds on a store that has been failing for GiveUpAfter, and our dead letters are where
            // ops look, list and re-send. If this write fails too, the 500 below still keeps the message.
            Log.GaveUp(logger, message.EventId, decision.Attempt, decision.FirstFailedAt, error);
            return await DeadLetterAsync(new DeadLetter(
                message.EventId,
                DeadLetterSource.RetriesExhausted,
                $"Failed on each of {decision.Attempt} tries since {decision.FirstFailedAt:O} ({RedeliveryOptions.SectionName}:GiveUpAfter); last error: {reason}",
                message.ReceivedAt,
                clock.GetUtcNow(),
                Encoding.UTF8.GetBytes(text),
                message.WabaId,
                message.Field,
                decision.Attempt), cancellationToken);
        }

        string copy;
        try
        {
            copy = await retries.ScheduleAsync(message, properties, decision, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.NotScheduled(logger, message.EventId, Security.LogText.Clean(reason)!, ex);
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Processing failed",
                detail: $"Event {message.EventId} could not be stored and no retry could be scheduled; the host redelivers it.");
        }

        Log.WillRetry(logger, message.EventId, decision.Attempt, decision.RetryAt, copy, error);
        return TypedResults.Ok(InvocationResponse.Done(
            $"Event {message.EventId} failed ({reason}); try {decision.Attempt} scheduled for {decision.RetryAt:O} as message {copy}"));
    }

    /// <summary>The message's application properties; older hosts call them <c>UserProperties</c>.</summary>
    private static IReadOnlyDictionary<string, string?> ApplicationProperties(InvocationPayload payload) =>
        payload.MetadataObject("ApplicationProperties") is { Count: > 0 } properties ? properties : payload.MetadataObject("UserProperties");

    /// <summary>
    /// A change that can never be processed. Its id is the event id when the body could be read, so a
    /// retry copy (whose message id differs) and the original give the same dead letter.
    /// </summary>
    private DeadLetter Poison(InvocationPayload payload, string text, string? messageId, int deliveryCount, ChangeMessage? message, string reason)
    {
        var now = clock.GetUtcNow();
        return new DeadLetter(
            message?.EventId ?? messageId,
            DeadLetterSource.Poison,
            reason,
            message?.ReceivedAt ?? payload.MetadataTime("EnqueuedTimeUtc") ?? now,
            now,
            Encoding.UTF8.GetBytes(text),
            message?.WabaId,
            message?.Field,
            deliveryCount);
    }

    private async Task<Results<Ok<InvocationResponse>, ProblemHttpResult>> DeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        try
        {
            await deadLetters.AddAsync([deadLetter], cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.DeadLetterFailed(logger, deadLetter.MessageId, ex);
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Dead letter not stored",
                detail: "The change cannot be processed, but it could not be recorded as a dead letter; the host redelivers it.");
        }

        Log.DeadLettered(logger, deadLetter.MessageId, deadLetter.Source, Security.LogText.Clean(deadLetter.Reason)!);
        metrics?.DeadLettered(DeadLetterSourceNames.Metric(deadLetter.Source));
        return TypedResults.Ok(InvocationResponse.Done($"Message {deadLetter.MessageId} dead-lettered: {deadLetter.Reason}"));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8001, Level = LogLevel.Debug, Message = "Event {EventId}: {Result} (delivery {DeliveryCount})")]
        public static partial void Processed(ILogger logger, string eventId, ProcessResult result, int deliveryCount);

        [LoggerMessage(EventId = 8002, Level = LogLevel.Warning, Message = "Message {MessageId} was dead-lettered ({Source}): {Reason}")]
        public static partial void DeadLettered(ILogger logger, string? messageId, DeadLetterSource source, string reason);

        [LoggerMessage(EventId = 8003, Level = LogLevel.Warning, Message = "Event {EventId} failed; try {Attempt} is scheduled for {RetryAt:o} as message {CopyId}")]
        public static partial void WillRetry(ILogger logger, string eventId, int attempt, DateTimeOffset retryAt, string copyId, Exception exception);

        [LoggerMessage(EventId = 8004, Level = LogLevel.Error, Message = "Message {MessageId} cannot be processed and could not be dead-lettered; the host redelivers it")]
        public static partial void DeadLetterFailed(ILogger logger, string? messageId, Exception exception);

        [LoggerMessage(EventId = 8005, Level = LogLevel.Error, Message = "An invocation without Data.{Binding} reached the Service Bus function; check function.json")]
        public static partial void BadInvocation(ILogger logger, string binding);

        [LoggerMessage(EventId = 8006, Level = LogLevel.Error, Message = "Event {EventId} failed ({ProcessingError}) and its retry could not be scheduled; the host redelivers it")]
        public static partial void NotScheduled(ILogger logger, string eventId, string processingError, Exception exception);

        [LoggerMessage(EventId = 8007, Level = LogLevel.Error, Message = "Event {EventId} failed on each of {Attempts} tries since {FirstFailedAt:o}; it is dead-lettered")]
        public static partial void GaveUp(ILogger logger, string eventId, int attempts, DateTimeOffset firstFailedAt, Exception exception);

        [LoggerMessage(EventId = 8008, Level = LogLevel.Error, Message = "Event {EventId} was refused by the store as too large; it is dead-lettered")]
        public static partial void Refused(ILogger logger, string eventId, Exception exception);

        [LoggerMessage(EventId = 8009, Level = LogLevel.Error, Message = "An invocation for event {EventId} is {Length} bytes, over Functions:MaxInvocationBytes ({Limit}); it is dead-lettered")]
        public static partial void TooLarge(ILogger logger, string? eventId, long length, int limit);
    }
}
