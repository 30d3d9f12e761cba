using WebhookProcessor.Security;

namespace WebhookProcessor.Hosting;

/// <summary>Writes the refusal counts once per rate-limit window, so a flood costs a bounded number of log lines.</summary>
internal sealed class RefusalSummaryService(RefusalLimiter limiter, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(limiter.SummaryPeriod, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                limiter.LogSummary();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what was counted since the last tick is written below.
        }

        limiter.LogSummary();
    }
}
