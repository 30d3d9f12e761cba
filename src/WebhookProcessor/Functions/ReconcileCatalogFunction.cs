using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.Functions;

/// <summary>
/// The hourly timer that schedules reconciliation on Azure, where no instance lives long enough for a
/// loop of its own: a full run when one is due (an account never reconciled, or no scheduled run within
/// <c>Reconciliation:Interval</c>), otherwise the look for overdue pending changes. Without a Graph API
/// token, or with <c>Reconciliation:Enabled</c> false, the invocation succeeds doing nothing.
/// </summary>
public sealed partial class ReconcileCatalogFunction(
    IServiceProvider services,
    IOptions<ReconciliationOptions> options,
    IOptions<GraphApiOptions> graphApi,
    ILogger<ReconcileCatalogFunction> logger)
{
    public const string Name = "ReconcileCatalog";

    private int _offLogged;

    public async Task<Results<Ok<InvocationResponse>, ProblemHttpResult>> InvokeAsync(HttpContext context)
    {
        var off = !graphApi.Value.IsConfigured ? "Meta:GraphApi:AccessToken is not set"
            : !options.Value.Enabled ? "Reconciliation:Enabled is false"
            : null;
        if (off is not null)
        {
            // Once per instance: an hourly line saying the same thing helps nobody.
            if (Interlocked.Exchange(ref _offLogged, 1) == 0)
            {
                Log.Off(logger, off);
            }

            return TypedResults.Ok(InvocationResponse.Done($"reconciliation is off: {off}"));
        }

        try
        {
            var coordinator = services.GetRequiredService<ReconciliationCoordinator>();
            string summary;
            if (await coordinator.IsFullRunDueAsync(ReconciliationService.ScheduleTrigger, context.RequestAborted))
            {
                var run = await coordinator.RunAsync(null, ReconciliationService.ScheduleTrigger, context.RequestAborted);
                summary = $"run {run.Id} {Lower(run.Status)}: {run.Accounts.Count(a => a.Status == AccountRunStatus.Succeeded)} of {run.Accounts.Count} account(s) succeeded";
            }
            else
            {
                var run = await coordinator.CheckOverdueAsync(ReconciliationService.OverdueTrigger, context.RequestAborted);
                summary = run is null ? "no overdue pending change" : $"overdue check {run.Id} {Lower(run.Status)} over {run.Accounts.Count} account(s)";
            }

            Log.Done(logger, summary);
            return TypedResults.Ok(InvocationResponse.Done(summary));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.Failed(logger, ex);
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Reconciliation failed",
                detail: "The reconciliation store or the catalog could not be read; the next tick tries again.");
        }
    }

    private static string Lower(ReconciliationStatus status) => status.ToString().ToLowerInvariant();

    private static partial class Log
    {
        [LoggerMessage(EventId = 8041, Level = LogLevel.Information, Message = "Reconcile catalog: {Summary}")]
        public static partial void Done(ILogger logger, string summary);

        [LoggerMessage(EventId = 8042, Level = LogLevel.Error, Message = "Reconcile catalog failed; the next tick tries again")]
        public static partial void Failed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 8043, Level = LogLevel.Information, Message = "Reconcile catalog does nothing: {Reason}")]
        public static partial void Off(ILogger logger, string reason);
    }
}
