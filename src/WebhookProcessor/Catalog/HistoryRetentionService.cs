using Microsoft.Extensions.Options;

namespace WebhookProcessor.Catalog;

/// <summary>Deletes history older than <see cref="HistoryOptions.RetentionDays"/>; does nothing when retention is unset.</summary>
public sealed partial class HistoryRetentionService(
    ITemplateStore store,
    IOptions<HistoryOptions> options,
    TimeProvider clock,
    ILogger<HistoryRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.RetentionDays is not { } days)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.PruneInterval, clock);
        do
        {
            try
            {
                var removed = await store.PruneHistoryAsync(clock.GetUtcNow().AddDays(-days), stoppingToken);
                Log.Pruned(logger, removed, days);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Retried at the next tick; nothing is lost by pruning late.
                Log.PruneFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "History retention removed {Count} events older than {Days} days")]
        public static partial void Pruned(ILogger logger, int count, int days);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "History retention failed; it will run again at the next interval")]
        public static partial void PruneFailed(ILogger logger, Exception exception);
    }
}
