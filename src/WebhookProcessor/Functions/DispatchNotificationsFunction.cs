using Microsoft.AspNetCore.Http.HttpResults;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.Functions;

/// <summary>
/// The timer trigger: one pass over the alert outbox for both channels. Instances of a Functions app
/// come and go, so alerts are sent on the host's schedule rather than by a loop that may not be running.
/// A failure fails the invocation; the alerts stay in the outbox for the next tick.
/// </summary>
public sealed partial class DispatchNotificationsFunction(AlertDispatcher dispatcher, ILogger<DispatchNotificationsFunction> logger)
{
    public const string Name = "DispatchNotifications";

    public async Task<Results<Ok<InvocationResponse>, ProblemHttpResult>> InvokeAsync(HttpContext context)
    {
        // The body (Data.timer: schedule status, IsPastDue) changes nothing: whatever is due is sent.
        try
        {
            var handled = await dispatcher.DispatchDueAsync(context.RequestAborted);
            Log.Dispatched(logger, handled);
            return TypedResults.Ok(InvocationResponse.Done($"{handled} alert(s) handled"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.Failed(logger, ex);
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Dispatch failed",
                detail: "The alert outbox could not be read or written; the next tick tries again.");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8011, Level = LogLevel.Debug, Message = "Timer pass handled {Count} alert(s)")]
        public static partial void Dispatched(ILogger logger, int count);

        [LoggerMessage(EventId = 8012, Level = LogLevel.Error, Message = "Timer pass could not use the alert outbox")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
