using System.Globalization;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace WebhookProcessor.Notifications;

/// <summary>
/// One Polly pipeline per channel (one failure domain): retry → circuit breaker → attempt timeout.
/// Retry is outermost so an open circuit ends the round at once; the timeout is innermost so each
/// attempt is timed on its own. Only <see cref="TransientDeliveryException"/> and attempt timeouts are
/// handled: a permanent <see cref="AlertDeliveryException"/> (one owner's bad URL or mailbox) passes
/// straight through, is not retried and does not count against the channel.
/// </summary>
public static partial class ChannelResilience
{
    public static ResiliencePipeline Create(AlertChannel channel, ResilienceSettings settings, TimeProvider timeProvider, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder { Name = $"{channel}-alerts", TimeProvider = timeProvider };
        if (settings.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = settings.MaxRetryAttempts,
                Delay = settings.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                // A Retry-After longer than the round may wait ends the round; the outbox reschedules the alert.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception switch
                {
                    TransientDeliveryException { RetryAfter: { } wait } => wait <= settings.MaxRetryAfter,
                    TransientDeliveryException or TimeoutRejectedException => true,
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is TransientDeliveryException { RetryAfter: { } wait } ? wait : (TimeSpan?)null),
                OnRetry = args =>
                {
                    Log.Retrying(logger, channel, args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception?.Message);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = settings.FailureRatio,
            MinimumThroughput = settings.MinimumThroughput,
            SamplingDuration = settings.SamplingDuration,
            BreakDuration = settings.BreakDuration,
            ShouldHandle = args => ValueTask.FromResult(IsChannelFailure(args.Outcome.Exception)),
            OnOpened = args =>
            {
                Log.CircuitOpened(logger, channel, args.BreakDuration, args.Outcome.Exception?.Message);
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                Log.CircuitClosed(logger, channel);
                return ValueTask.CompletedTask;
            },
        });

        builder.AddTimeout(settings.AttemptTimeout);
        return builder.Build();
    }

    /// <summary>
    /// Runs one delivery round through <paramref name="pipeline"/> and turns every way it can end into
    /// the sender contract: success, or an <see cref="AlertDeliveryException"/> (permanent or not).
    /// Cancellation by the caller is passed on as it is.
    /// </summary>
    public static async Task SendAsync(
        ResiliencePipeline pipeline,
        AlertChannel channel,
        TimeProvider timeProvider,
        Func<CancellationToken, ValueTask> attempt,
        CancellationToken cancellationToken = default)
    {
        var attempts = 0;
        try
        {
            await pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    await attempt(token);
                },
                cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (AlertDeliveryException)
        {
            throw;
        }
        catch (BrokenCircuitException ex)
        {
            var nextTry = timeProvider.GetUtcNow() + (ex.RetryAfter ?? TimeSpan.Zero);
            throw new AlertDeliveryException(
                $"{Name(channel)} channel paused after repeated failures; next try after {nextTry.ToString("u", CultureInfo.InvariantCulture)}",
                permanent: false,
                ex);
        }
        catch (TransientDeliveryException ex)
        {
            throw new AlertDeliveryException($"{ex.Message} ({Attempts(attempts)} this round)", permanent: false, ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new AlertDeliveryException(
                $"{Name(channel)}: no answer within {ex.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s ({Attempts(attempts)} this round)",
                permanent: false,
                ex);
        }
        catch (Exception ex)
        {
            // Only the type: a foreign message could quote a secret (a webhook URL, a password).
            throw new AlertDeliveryException($"{Name(channel)}: unexpected {ex.GetType().Name} while sending", permanent: false, ex);
        }
    }

    private static bool IsChannelFailure(Exception? exception) =>
        exception is TransientDeliveryException or TimeoutRejectedException;

    private static string Name(AlertChannel channel) => channel switch
    {
        AlertChannel.Teams => "Teams",
        AlertChannel.Email => "E-mail",
        _ => channel.ToString(),
    };

    private static string Attempts(int count) => count == 1 ? "1 attempt" : $"{count} attempts";

    private static partial class Log
    {
        [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "{Channel} send failed; attempt {Attempt} in {Delay}: {Reason}")]
        public static partial void Retrying(ILogger logger, AlertChannel channel, int attempt, TimeSpan delay, string? reason);

        [LoggerMessage(EventId = 7102, Level = LogLevel.Error, Message = "{Channel} channel paused for {BreakDuration} after repeated failures; last: {Reason}")]
        public static partial void CircuitOpened(ILogger logger, AlertChannel channel, TimeSpan breakDuration, string? reason);

        [LoggerMessage(EventId = 7103, Level = LogLevel.Information, Message = "{Channel} channel resumed")]
        public static partial void CircuitClosed(ILogger logger, AlertChannel channel);
    }
}
