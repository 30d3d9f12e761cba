using Microsoft.Extensions.Options;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.Functions;

/// <summary>
/// Sends, from the invocation that planned them, the alerts a change (or a digest) just put in the
/// outbox, so a deployment that scales to zero need not wake every minute to look for them. Only when
/// nothing else sends alerts (<c>Notifications:Delivery:RunInBackground</c> false, as under the
/// Functions host), only when something was planned (the outbox raises <see cref="AlertSignals"/> on
/// each commit that wrote alerts), and for at most <see cref="FunctionsOptions.AlertDispatchTimeout"/>:
/// whatever is left, and every retry, waits for the <c>DispatchNotifications</c> timer.
/// </summary>
public sealed partial class PlannedAlertDispatch(
    AlertDispatcher dispatcher,
    AlertSignals signals,
    IOptions<NotificationOptions> notifications,
    IOptions<FunctionsOptions> functions,
    TimeProvider clock,
    ILogger<PlannedAlertDispatch> logger)
{
    /// <summary>Sends what is due if alerts were planned since the last call; returns a line for the invocation's log, or null.</summary>
    public async Task<string?> DispatchAsync(CancellationToken cancellationToken)
    {
        var timeout = functions.Value.AlertDispatchTimeout;
        if (notifications.Value.Delivery.RunInBackground || timeout <= TimeSpan.Zero)
        {
            return null;
        }

        // Taking both signals (no short cut): a signal left set would only cost a useless pass later.
        var email = await signals.For(AlertChannel.Email).WaitAsync(TimeSpan.Zero, clock, cancellationToken);
        var teams = await signals.For(AlertChannel.Teams).WaitAsync(TimeSpan.Zero, clock, cancellationToken);
        if (!email && !teams)
        {
            return null;
        }

        using var budget = new CancellationTokenSource(timeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            var handled = await dispatcher.DispatchDueAsync(linked.Token);
            return $"{handled} alert(s) handled";
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Log.TimedOut(logger, timeout);
            return "alert sending stopped at Functions:AlertDispatchTimeout; the DispatchNotifications timer sends the rest";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The change is committed and its alerts are in the outbox: the timer picks them up.
            Log.Failed(logger, ex);
            return "the alert outbox could not be used; the DispatchNotifications timer sends the alerts";
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8031, Level = LogLevel.Warning, Message = "Sending planned alerts took longer than {Timeout}; the DispatchNotifications timer sends the rest")]
        public static partial void TimedOut(ILogger logger, TimeSpan timeout);

        [LoggerMessage(EventId = 8032, Level = LogLevel.Warning, Message = "Planned alerts could not be sent from the invocation; the DispatchNotifications timer sends them")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
