using Microsoft.Extensions.Options;

namespace WebhookProcessor.Reconciliation;

/// <summary>
/// The embedded host's schedule (not on Azure Functions, where the <c>ReconcileCatalog</c> timer does
/// this): a full run every <see cref="ReconciliationOptions.Interval"/>, the first one soon after
/// start-up when an account has never been reconciled, and between full runs a look for overdue
/// pending changes every <see cref="ReconciliationOptions.OverdueCheckInterval"/>. Does nothing without
/// a Graph API token or with <c>Reconciliation:Enabled</c> false; a run asked for through the API or
/// the CLI works either way.
/// </summary>
public sealed partial class ReconciliationService(
    IServiceProvider services,
    IOptions<ReconciliationOptions> options,
    IOptions<GraphApiOptions> graphApi,
    TimeProvider clock,
    ILogger<ReconciliationService> logger) : BackgroundService
{
    public const string ScheduleTrigger = "schedule";
    public const string OverdueTrigger = "overdue";

    /// <summary>How long after start-up an account's first (bootstrap) run waits: the host is up and serving by then.</summary>
    public static readonly TimeSpan StartupDelay = TimeSpan.FromSeconds(30);

    /// <summary>The wait before trying again when the stores could not be read to plan or start a run.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!graphApi.Value.IsConfigured)
        {
            Log.Off(logger, "Meta:GraphApi:AccessToken is not set");
            return;
        }

        var settings = options.Value;
        if (!settings.Enabled)
        {
            Log.Off(logger, "Reconciliation:Enabled is false");
            return;
        }

        // Resolved only here: a host with reconciliation off never builds the coordinator or touches its store.
        var coordinator = services.GetRequiredService<ReconciliationCoordinator>();
        DateTimeOffset? nextFull = null;
        var nextOverdue = clock.GetUtcNow() + settings.OverdueCheckInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                nextFull ??= await coordinator.NextFullRunAsync(StartupDelay, stoppingToken);
                var now = clock.GetUtcNow();
                if (now >= nextFull)
                {
                    await coordinator.RunAsync(null, ScheduleTrigger, stoppingToken);
                    // From the run's start, so the schedule does not drift by each run's length; never in the past.
                    var after = nextFull.Value + settings.Interval;
                    now = clock.GetUtcNow();
                    nextFull = after > now ? after : now + settings.Interval;
                    nextOverdue = now + settings.OverdueCheckInterval;
                }
                else if (now >= nextOverdue)
                {
                    await coordinator.CheckOverdueAsync(OverdueTrigger, stoppingToken);
                    nextOverdue = clock.GetUtcNow() + settings.OverdueCheckInterval;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A run itself never throws; this is a store that could not be read to plan or start one.
                Log.Failed(logger, ex, RetryDelay);
                var retry = clock.GetUtcNow() + RetryDelay;
                nextOverdue = nextOverdue > retry ? nextOverdue : retry;
                if (nextFull is { } full && full < retry)
                {
                    nextFull = retry;
                }
            }

            var wake = nextFull is { } f && f < nextOverdue ? f : nextOverdue;
            var wait = wake - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, clock, stoppingToken);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9221, Level = LogLevel.Information, Message = "Scheduled reconciliation is off: {Reason}")]
        public static partial void Off(ILogger logger, string reason);

        [LoggerMessage(EventId = 9222, Level = LogLevel.Error, Message = "Scheduled reconciliation could not plan or start a run; trying again in {Delay}")]
        public static partial void Failed(ILogger logger, Exception exception, TimeSpan delay);
    }
}
