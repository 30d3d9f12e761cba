using Polly;
using Polly.Retry;

namespace WebhookProcessor.Notifications;

public sealed class ResilienceSettings
{
    /// <summary>Retries inside one delivery round (after the first try).</summary>
    public int MaxRetryAttempts { get; set; } = 3;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest <c>Retry-After</c> (Teams) honoured inside a round; a longer one ends the round and the outbox waits instead.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);
    public double FailureRatio { get; set; } = 0.5;
    public int MinimumThroughput { get; set; } = 4;
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How both channels space the attempts of a round: exponential from the base delay, with jitter.</summary>
    public void ApplyBackoff<TResult>(RetryStrategyOptions<TResult> retry)
    {
        retry.MaxRetryAttempts = MaxRetryAttempts;
        retry.Delay = RetryBaseDelay;
        retry.BackoffType = DelayBackoffType.Exponential;
        retry.UseJitter = true;
    }

    /// <summary>
    /// The longest one delivery round may take: every attempt timed out after the longest wait between
    /// attempts. The outbox claims an alert for longer than this; the Teams pipeline cuts a round here.
    /// A method, so configuration binding does not treat it as a key.
    /// </summary>
    public TimeSpan LongestRound() => (AttemptTimeout + MaxRetryAfter + RetryBaseDelay) * (MaxRetryAttempts + 1);
}
