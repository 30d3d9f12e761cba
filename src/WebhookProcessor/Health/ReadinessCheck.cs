using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WebhookProcessor.Health;

/// <summary>
/// One readiness check: a probe of a store or the queue, given <see cref="HealthOptions.ReadyTimeout"/> to
/// answer. A probe that throws, names a problem or does not answer in time makes the check Unhealthy;
/// the reason goes to the log only, never into the answer (readiness needs no key).
/// </summary>
/// <param name="probe">Null when the dependency answers; otherwise what is wrong (for the log).</param>
internal sealed partial class ReadinessCheck(
    string name,
    Func<CancellationToken, Task<string?>> probe,
    TimeSpan timeout,
    TimeProvider clock,
    ILogger<ReadinessCheck> logger) : IHealthCheck
{
    /// <summary>What the answer says of a failed check: nothing a stranger could use.</summary>
    private static readonly HealthCheckResult NotReady = HealthCheckResult.Unhealthy();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var timer = new CancellationTokenSource(timeout, clock);
        var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        // On the thread pool: the SQLite stores' async calls run synchronously, so a locked database would
        // otherwise hold this request (for the store's own 30 s busy time out) before the timer could act.
        var running = Task.Run(() => probe(linked.Token), CancellationToken.None);
        // The probe may outlive this check (a store that ignores cancellation): its token sources stay alive
        // until it ends, and a failure after the check gave up is still logged rather than lost.
        var abandoned = false;
        _ = running.ContinueWith(
            t =>
            {
                linked.Dispose();
                timer.Dispose();
                if (Volatile.Read(ref abandoned) && t.Exception is { } late)
                {
                    Log.FailedAfterTimeout(logger, name, late.GetBaseException());
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        try
        {
            var problem = await running.WaitAsync(linked.Token);
            if (problem is null)
            {
                return HealthCheckResult.Healthy();
            }

            Log.NotReady(logger, name, problem);
            return NotReady;
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Volatile.Write(ref abandoned, true);
            Log.TimedOut(logger, name, timeout.TotalSeconds);
            return NotReady;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.Failed(logger, name, ex);
            return NotReady;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Not ready: {Check} did not answer within {Seconds} s")]
        public static partial void TimedOut(ILogger logger, string check, double seconds);

        [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Not ready: {Check} failed")]
        public static partial void Failed(ILogger logger, string check, Exception exception);

        [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Not ready: {Check}: {Problem}")]
        public static partial void NotReady(ILogger logger, string check, string problem);

        [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "The readiness probe of {Check} failed after its check had timed out")]
        public static partial void FailedAfterTimeout(ILogger logger, string check, Exception exception);
    }
}
