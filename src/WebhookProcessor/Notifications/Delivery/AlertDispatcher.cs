using System.Diagnostics;
using Microsoft.Extensions.Options;
using WebhookProcessor.Storage;
using WebhookProcessor.Telemetry;

namespace WebhookProcessor.Notifications;

/// <summary>
/// Works through the outbox: one independent loop per channel, so a channel that is down or slow never
/// holds up the other. Each alert gets up to <see cref="DeliverySettings.MaxAttempts"/> delivery rounds
/// (each a full run of the channel's resilience pipeline), spaced by exponential backoff with jitter,
/// and then stays <c>failed</c> until ops re-send it.
/// </summary>
public sealed partial class AlertDispatcher(
    INotificationStore store,
    IEnumerable<IAlertSender> senders,
    AlertSignals signals,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<AlertDispatcher> logger,
    WebhookMetrics? metrics = null) : BackgroundService
{
    /// <summary>The span of one delivery round, a child of the commit that planned the alert.</summary>
    public const string DeliverySpan = "deliver alert";

    private readonly NotificationOptions _options = options.Value;
    private readonly Dictionary<AlertChannel, IAlertSender> _senders = senders.ToDictionary(s => s.Channel);

    /// <summary>
    /// One pass over the outbox for both channels, for a scheduler outside the process (the Functions
    /// timer trigger): sends what is due now, channel by channel in parallel, and returns how many
    /// alerts it handled. Claims a stopped instance left behind are not released here; they run out.
    /// </summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        var counts = await Task.WhenAll(Enum.GetValues<AlertChannel>().Select(async channel =>
        {
            var total = 0;
            int taken;
            do
            {
                taken = await DeliverDueAsync(channel, cancellationToken);
                total += taken;
            }
            while (taken == BatchSize && !cancellationToken.IsCancellationRequested);
            return total;
        }));
        return counts.Sum();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Delivery.RunInBackground)
        {
            Log.NotInBackground(logger);
            return;
        }

        var released = await store.ReleaseClaimsAsync(clock.GetUtcNow(), stoppingToken);
        if (released > 0)
        {
            Log.ClaimsReleased(logger, released);
        }

        await Task.WhenAll(Enum.GetValues<AlertChannel>().Select(channel => RunChannelAsync(channel, stoppingToken)));
    }

    private async Task RunChannelAsync(AlertChannel channel, CancellationToken stoppingToken)
    {
        var signal = signals.For(channel);
        var delivery = _options.Delivery;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await DeliverDueAsync(channel, stoppingToken) == 0)
                {
                    await signal.WaitAsync(delivery.PollInterval, clock, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The outbox itself could not be read or written: say so and try again shortly.
                Log.DispatchFailed(logger, channel, ex);
                try
                {
                    await Task.Delay(delivery.PollInterval, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private int BatchSize => _options.Delivery.Concurrency * 4;

    /// <summary>Takes one batch of due alerts of a channel and delivers them; returns how many it took.</summary>
    private async Task<int> DeliverDueAsync(AlertChannel channel, CancellationToken cancellationToken)
    {
        var due = await store.TakeDueAsync(channel, clock.GetUtcNow(), ClaimDuration(), BatchSize, cancellationToken);
        if (due.Count > 0)
        {
            await Parallel.ForEachAsync(
                due,
                new ParallelOptions { MaxDegreeOfParallelism = _options.Delivery.Concurrency, CancellationToken = cancellationToken },
                (notification, token) => new ValueTask(DeliverAsync(notification, token)));
        }

        return due.Count;
    }

    internal async Task DeliverAsync(Notification notification, CancellationToken cancellationToken)
    {
        var attempts = notification.Attempts + 1;
        using var span = StartDeliverySpan(notification, attempts);
        var channelName = notification.Channel is { } known ? NotificationRows.ChannelName(known) : "none";
        try
        {
            if (notification.Channel is not { } channel || notification.Recipient is null)
            {
                throw new AlertDeliveryException("The alert has no channel or recipient.", permanent: true);
            }

            if (!_senders.TryGetValue(channel, out var sender))
            {
                throw new AlertDeliveryException($"No sender is registered for the {channel} channel.", permanent: true);
            }

            var content = AlertRenderer.Render(notification.Facts, notification.Language, notification.OwnerName ?? string.Empty, _options.Teams.MaxPayloadBytes);
            await sender.SendAsync(new OutgoingAlert(notification.Id, channel, notification.Recipient, content), cancellationToken);
            await store.MarkSentAsync(notification.Id, attempts, clock.GetUtcNow(), CancellationToken.None);
            Log.Sent(logger, notification.Id, notification.Facts.Kind, channel);
            Delivered(span, channelName, AlertOutcomes.Sent, attempts);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down mid-send: the claim is released at the next start-up and the alert sent then.
            span?.SetTag(TelemetryTags.AlertOutcome, "cancelled");
            throw;
        }
        catch (Exception ex)
        {
            var permanent = ex is AlertDeliveryException { Permanent: true };
            var error = ex is AlertDeliveryException ? ex.Message : $"Unexpected {ex.GetType().Name} while sending; see the service log.";
            DateTimeOffset? retryAt = permanent || attempts >= _options.Delivery.MaxAttempts
                ? null
                : clock.GetUtcNow() + RetryDelay(attempts);
            await store.MarkFailedAttemptAsync(notification.Id, attempts, error, retryAt, clock.GetUtcNow(), CancellationToken.None);
            WebhookActivities.Fail(span, ex);
            Delivered(span, channelName, retryAt is null ? AlertOutcomes.Failed : AlertOutcomes.Retry, attempts);
            if (retryAt is null)
            {
                Log.GaveUp(logger, notification.Id, notification.Facts.Kind, notification.Channel, attempts, error, ex is AlertDeliveryException ? null : ex);
            }
            else
            {
                Log.WillRetry(logger, notification.Id, notification.Channel, attempts, retryAt.Value, error);
            }
        }
    }

    /// <summary>
    /// The delivery round's span, continuing the trace of the commit that planned the alert (stored with
    /// it in the outbox). It names the alert, its kind, channel and round, the event and the template;
    /// never the recipient (an address or a Teams URL).
    /// </summary>
    private static Activity? StartDeliverySpan(Notification notification, int attempt)
    {
        var span = WebhookActivities.StartFrom(DeliverySpan, ActivityKind.Internal, notification.TraceParent);
        if (span is not { IsAllDataRequested: true })
        {
            return span;
        }

        span.SetTag(TelemetryTags.AlertId, notification.Id);
        span.SetTag(TelemetryTags.AlertKind, notification.Facts.Kind);
        span.SetTag(TelemetryTags.AlertChannel, notification.Channel is { } channel ? NotificationRows.ChannelName(channel) : null);
        span.SetTag(TelemetryTags.AlertAttempt, attempt);
        span.SetTag(TelemetryTags.EventId, notification.Facts.EventId);
        span.SetTag(TelemetryTags.WabaId, notification.Facts.WabaId);
        if (notification.Facts.TemplateId is { } templateId)
        {
            span.SetTag(TelemetryTags.TemplateId, templateId);
        }

        return span;
    }

    private void Delivered(Activity? span, string channel, string outcome, int attempts)
    {
        span?.SetTag(TelemetryTags.AlertOutcome, outcome);
        if (metrics is null)
        {
            return;
        }

        metrics.AlertAttempt(channel, outcome);
        if (outcome != AlertOutcomes.Retry)
        {
            metrics.AlertFinished(channel, outcome, attempts);
        }
    }

    /// <summary>Exponential from the base delay, ±20 % jitter so alerts failed together do not retry together, capped after jitter.</summary>
    internal TimeSpan RetryDelay(int attempts) =>
        Backoff.Delay(_options.Delivery.RetryBaseDelay, _options.Delivery.RetryMaxDelay, attempts);

    /// <summary>Longer than one delivery round can take, so a slow round is never taken twice.</summary>
    private TimeSpan ClaimDuration() => _options.Resilience.LongestRound() + TimeSpan.FromMinutes(1);

    private static partial class Log
    {
        [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Alert {NotificationId} ({Kind}) sent by {Channel}")]
        public static partial void Sent(ILogger logger, string notificationId, string kind, AlertChannel channel);

        [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Alert {NotificationId} on {Channel}: round {Attempts} failed, next try at {RetryAt:o}: {Error}")]
        public static partial void WillRetry(ILogger logger, string notificationId, AlertChannel? channel, int attempts, DateTimeOffset retryAt, string error);

        [LoggerMessage(EventId = 6003, Level = LogLevel.Error, Message = "Alert {NotificationId} ({Kind}) on {Channel} failed after {Attempts} round(s) and waits for a re-send: {Error}")]
        public static partial void GaveUp(ILogger logger, string notificationId, string kind, AlertChannel? channel, int attempts, string error, Exception? exception);

        [LoggerMessage(EventId = 6004, Level = LogLevel.Error, Message = "The {Channel} dispatcher could not use the outbox; retrying")]
        public static partial void DispatchFailed(ILogger logger, AlertChannel channel, Exception exception);

        [LoggerMessage(EventId = 6006, Level = LogLevel.Information, Message = "Notifications:Delivery:RunInBackground is false: alerts are sent only when DispatchDueAsync is called (the Functions timer)")]
        public static partial void NotInBackground(ILogger logger);

        [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "{Count} alert(s) were being sent when the previous run stopped; sending them again")]
        public static partial void ClaimsReleased(ILogger logger, int count);
    }
}
