using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.Functions;

/// <summary>
/// The hourly timer: the work the embedded service does in background loops, which an instance that
/// scales to zero cannot be trusted to run. Once the day's digest time has passed it plans the daily
/// digests (at most once per owner and day, however many ticks), and it applies history retention.
/// </summary>
public sealed partial class DailyMaintenanceFunction(
    DigestService digest,
    AlertSignals signals,
    PlannedAlertDispatch alerts,
    ITemplateStore store,
    IOptions<NotificationOptions> notifications,
    IOptions<HistoryOptions> history,
    TimeProvider clock,
    ILogger<DailyMaintenanceFunction> logger)
{
    public const string Name = "DailyMaintenance";

    public async Task<Results<Ok<InvocationResponse>, ProblemHttpResult>> InvokeAsync(HttpContext context)
    {
        var now = clock.GetUtcNow();
        var logs = new List<string>();
        try
        {
            var settings = notifications.Value.Digest;
            if (settings.Enabled && now.TimeOfDay >= settings.TimeOfDayUtc)
            {
                var added = await digest.PlanAsync(DateOnly.FromDateTime(now.UtcDateTime), context.RequestAborted);
                if (added > 0)
                {
                    signals.Set();
                }

                logs.Add($"{added} digest alert(s) planned");
                // Sent now rather than at the next DispatchNotifications tick, which may be a quarter of an hour away.
                if (await alerts.DispatchAsync(context.RequestAborted) is { } sent)
                {
                    logs.Add(sent);
                }
            }

            if (history.Value.RetentionDays is { } days)
            {
                logs.Add($"{await store.PruneHistoryAsync(now.AddDays(-days), context.RequestAborted)} history row(s) pruned");
            }

            Log.Done(logger, string.Join("; ", logs));
            return TypedResults.Ok(InvocationResponse.Done(logs.Count == 0 ? "nothing to do" : string.Join("; ", logs)));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.Failed(logger, ex);
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Maintenance failed",
                detail: "The digest or history retention could not run; the next tick tries again.");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8021, Level = LogLevel.Information, Message = "Daily maintenance: {Summary}")]
        public static partial void Done(ILogger logger, string summary);

        [LoggerMessage(EventId = 8022, Level = LogLevel.Error, Message = "Daily maintenance failed; the next tick tries again")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
