using System.Globalization;
using Polly;
using Polly.CircuitBreaker;
using Microsoft.Extensions.Logging.Abstractions;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;

namespace WebhookProcessor.Notifications;

/// <summary>
/// The resilience pipelines of a channel that does not speak HTTP (e-mail; Teams runs on
/// Microsoft.Extensions.Http.Resilience, see <see cref="TeamsPipeline"/>): retry → circuit breakers →
/// attempt timeout. Retry is outermost so an open circuit ends the round at once; the timeout is
/// innermost so each attempt is timed on its own. There are two breakers, because one owner's broken
/// destination must not stop alerts to everyone else: one per destination (an e-mail recipient),
/// counting that destination's own failures, and one for the channel (the SMTP server), counting
/// failures that would hit every destination alike. <see cref="FailureScope"/> on the failure says
/// which; a timeout counts where the channel says (<c>timeoutScope</c>). Only
/// <see cref="TransientDeliveryException"/> and attempt timeouts are handled: a permanent
/// <see cref="AlertDeliveryException"/> (a mailbox that does not exist) passes straight through, is
/// not retried and counts against nothing.
/// </summary>
/// <remarks>
/// Destination pipelines are kept for the most recently used <see cref="MaxDestinations"/> destinations
/// only, so whoever edits owners cannot make the service hold state without limit; a destination
/// dropped from the list starts again with a closed breaker, which costs at most one more failing round.
/// </remarks>
public sealed partial class ChannelResilience
{
    /// <summary>More destinations than a deployment has owners' URLs and addresses.</summary>
    public const int DefaultMaxDestinations = 1024;

    private readonly AlertChannel _channel;
    private readonly ResilienceSettings _settings;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly FailureScope _timeoutScope;
    private readonly ResiliencePipeline _channelPipeline;
    private readonly CircuitBreakerStateProvider _channelState = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, ResiliencePipeline Pipeline)>> _destinations = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, ResiliencePipeline Pipeline)> _recent = new();

    public ChannelResilience(
        AlertChannel channel,
        ResilienceSettings settings,
        TimeProvider timeProvider,
        ILogger logger,
        FailureScope timeoutScope,
        int maxDestinations = DefaultMaxDestinations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDestinations, 1);
        _channel = channel;
        _settings = settings;
        _timeProvider = timeProvider;
        _logger = logger;
        _timeoutScope = timeoutScope;
        MaxDestinations = maxDestinations;
        var breaker = Breaker(FailureScope.Channel, Name(channel));
        breaker.StateProvider = _channelState;
        _channelPipeline = new ResiliencePipelineBuilder { Name = $"{channel}-alerts", TimeProvider = timeProvider }
            .AddCircuitBreaker(breaker)
            .AddTimeout(settings.AttemptTimeout)
            .ConfigureTelemetry(MetricsOnly)
            .Build();
    }

    /// <summary>
    /// Polly's metrics (meter <c>Polly</c>: retries, breaker openings, timeouts) without its logs: the
    /// log lines here say the same in this service's words. Destination pipelines carry no instance name,
    /// so no recipient reaches a metric.
    /// </summary>
    private static readonly TelemetryOptions MetricsOnly = new() { LoggerFactory = NullLoggerFactory.Instance };

    /// <summary>The channel breaker's state as metrics name it: closed, open, half_open or isolated.</summary>
    public string ChannelState => _channelState.CircuitState switch
    {
        CircuitState.Closed => "closed",
        CircuitState.Open => "open",
        CircuitState.HalfOpen => "half_open",
        CircuitState.Isolated => "isolated",
        _ => "unknown",
    };

    public int MaxDestinations { get; }

    /// <summary>How many destinations have a pipeline now (at most <see cref="MaxDestinations"/>).</summary>
    public int DestinationCount
    {
        get
        {
            lock (_gate)
            {
                return _destinations.Count;
            }
        }
    }

    /// <summary>
    /// Runs one delivery round to <paramref name="destination"/> and turns every way it can end into
    /// the sender contract: success, or an <see cref="AlertDeliveryException"/> (permanent or not).
    /// Cancellation by the caller is passed on as it is.
    /// </summary>
    /// <param name="destination">The key of the destination's breaker; also how it is named in messages and logs, so never a secret.</param>
    public async Task SendAsync(string destination, Func<CancellationToken, ValueTask> attempt, CancellationToken cancellationToken = default)
    {
        var attempts = 0;
        var channelPaused = false;
        try
        {
            await For(destination).ExecuteAsync(
                async token =>
                {
                    attempts++;
                    try
                    {
                        await _channelPipeline.ExecuteAsync(attempt, token);
                    }
                    catch (BrokenCircuitException)
                    {
                        channelPaused = true;
                        throw;
                    }
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
            var nextTry = (_timeProvider.GetUtcNow() + (ex.RetryAfter ?? TimeSpan.Zero)).ToString("u", CultureInfo.InvariantCulture);
            var what = channelPaused ? $"{Name(_channel)} channel" : $"{Name(_channel)} alerts to {destination}";
            throw new AlertDeliveryException($"{what} paused after repeated failures; next try after {nextTry}", permanent: false, ex);
        }
        catch (TransientDeliveryException ex)
        {
            throw new AlertDeliveryException($"{ex.Message} ({Attempts(attempts)} this round)", permanent: false, ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new AlertDeliveryException(
                $"{Name(_channel)}: no answer within {ex.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s ({Attempts(attempts)} this round)",
                permanent: false,
                ex);
        }
        catch (Exception ex)
        {
            // Only the type: a foreign message could quote a secret (a webhook URL, a password).
            throw new AlertDeliveryException($"{Name(_channel)}: unexpected {ex.GetType().Name} while sending", permanent: false, ex);
        }
    }

    private ResiliencePipeline For(string destination)
    {
        lock (_gate)
        {
            if (_destinations.TryGetValue(destination, out var node))
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                return node.Value.Pipeline;
            }

            if (_destinations.Count >= MaxDestinations && _recent.Last is { } oldest)
            {
                _recent.RemoveLast();
                _destinations.Remove(oldest.Value.Key);
            }

            var pipeline = CreateDestinationPipeline(destination);
            _destinations[destination] = _recent.AddFirst((destination, pipeline));
            return pipeline;
        }
    }

    private ResiliencePipeline CreateDestinationPipeline(string destination)
    {
        var settings = _settings;
        var builder = new ResiliencePipelineBuilder { Name = $"{_channel}-alerts-destination", TimeProvider = _timeProvider };
        if (settings.MaxRetryAttempts > 0)
        {
            var retry = new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is TransientDeliveryException or TimeoutRejectedException),
                OnRetry = args =>
                {
                    Log.Retrying(_logger, _channel, args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception?.Message);
                    return ValueTask.CompletedTask;
                },
            };
            settings.ApplyBackoff(retry);
            builder.AddRetry(retry);
        }

        return builder.AddCircuitBreaker(Breaker(FailureScope.Destination, destination)).ConfigureTelemetry(MetricsOnly).Build();
    }

    private CircuitBreakerStrategyOptions Breaker(FailureScope scope, string what) => new()
    {
        FailureRatio = _settings.FailureRatio,
        MinimumThroughput = _settings.MinimumThroughput,
        SamplingDuration = _settings.SamplingDuration,
        BreakDuration = _settings.BreakDuration,
        ShouldHandle = args => ValueTask.FromResult(CountsAgainst(scope, args.Outcome.Exception)),
        OnOpened = args =>
        {
            Log.CircuitOpened(_logger, _channel, what, args.BreakDuration, args.Outcome.Exception?.Message);
            return ValueTask.CompletedTask;
        },
        OnClosed = _ =>
        {
            Log.CircuitClosed(_logger, _channel, what);
            return ValueTask.CompletedTask;
        },
    };

    private bool CountsAgainst(FailureScope scope, Exception? exception) => exception switch
    {
        TransientDeliveryException transient => transient.Scope == scope,
        TimeoutRejectedException => _timeoutScope == scope,
        _ => false,
    };

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

        [LoggerMessage(EventId = 7102, Level = LogLevel.Error, Message = "{Channel} alerts to {Destination} paused for {BreakDuration} after repeated failures; last: {Reason}")]
        public static partial void CircuitOpened(ILogger logger, AlertChannel channel, string destination, TimeSpan breakDuration, string? reason);

        [LoggerMessage(EventId = 7103, Level = LogLevel.Information, Message = "{Channel} alerts to {Destination} resumed")]
        public static partial void CircuitClosed(ILogger logger, AlertChannel channel, string destination);
    }
}
