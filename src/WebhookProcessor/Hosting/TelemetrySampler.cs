using Microsoft.Extensions.Options;
using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;
using WebhookProcessor.Queue;

using WebhookProcessor.Telemetry;

namespace WebhookProcessor.Hosting;

/// <summary>
/// Reads the figures behind the gauges from the stores every <see cref="TelemetryOptions.SampleInterval"/>
/// (only while telemetry is on): the gauge callbacks run on the exporter's thread and must not wait on
/// a database or the network. A store that cannot answer leaves its figure absent, never a stale or
/// invented one.
/// </summary>
public sealed partial class TelemetrySampler(
    WebhookMetrics metrics,
    IQueueMonitor queue,
    INotificationStore notifications,
    ITemplateStore catalog,
    IOptions<TelemetryOptions> options,
    TimeProvider clock,
    ILogger<TelemetrySampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SampleInterval, clock);
        do
        {
            await SampleAsync(stoppingToken);
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <summary>Refreshes every gauge's figure once; tests call it to read the gauges without waiting.</summary>
    public async Task SampleAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        long? depth = null;
        double? oldest = null;
        long? deadLetters = null;
        try
        {
            var stats = await queue.GetStatsAsync(cancellationToken);
            depth = stats.Depth;
            deadLetters = stats.DeadLetterCount;
            oldest = stats.OldestAgeSeconds(now);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.Failed(logger, "queue", ex);
        }

        WaitingAlerts? alerts = null;
        try
        {
            var stats = await notifications.GetStatsAsync(cancellationToken);
            alerts = new WaitingAlerts(stats.Pending, stats.Failed, stats.Unrouted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.Failed(logger, "outbox", ex);
        }

        double? next = null;
        try
        {
            next = await PendingChanges.NextEffectiveAtAsync(catalog, cancellationToken) is { } due ? (due - now).TotalSeconds : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.Failed(logger, "catalog", ex);
        }

        metrics.Snapshot = new TelemetrySnapshot(depth, oldest, deadLetters, next, alerts);
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9601, Level = LogLevel.Warning, Message = "Telemetry could not read the {Store} for its gauges; they stay empty until the next sample")]
        public static partial void Failed(ILogger logger, string store, Exception exception);
    }
}
