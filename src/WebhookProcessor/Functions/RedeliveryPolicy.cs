using WebhookProcessor.Storage;

namespace WebhookProcessor.Functions;

/// <summary>
/// When a failed change is tried again: the service's <see cref="Backoff"/> from
/// <see cref="RedeliveryOptions.FirstDelay"/>, capped at <see cref="RedeliveryOptions.MaxDelay"/>, until
/// <see cref="RedeliveryOptions.GiveUpAfter"/> has passed since the first failure. Pure: the time and
/// the jitter are inputs.
/// </summary>
public sealed class RedeliveryPolicy(RedeliveryOptions options)
{
    /// <param name="retries">How many retries came before this try: 0 for the message the intake sent.</param>
    /// <param name="firstFailedAt">When the first try failed, as carried by the retry; null on the first failure.</param>
    /// <param name="now">The time of this failure.</param>
    /// <param name="jitter">A number in [0, 1] (see <see cref="Backoff.Delay(TimeSpan, TimeSpan, int, double)"/>).</param>
    public RedeliveryDecision Decide(int retries, DateTimeOffset? firstFailedAt, DateTimeOffset now, double jitter)
    {
        var tries = Math.Max(retries, 0) + 1;
        // A first failure "in the future" (a hand-written property, clock skew between instances) would
        // stretch the limit; count from now instead.
        var first = firstFailedAt is { } at && at <= now ? at : now;
        var deadline = first + options.GiveUpAfter;
        if (now >= deadline)
        {
            return new RedeliveryDecision(true, tries, first, now);
        }

        var retryAt = now + Backoff.Delay(options.FirstDelay, options.MaxDelay, tries, jitter);
        // The last try lands on the deadline rather than past it, so a change is given up close to
        // GiveUpAfter and not up to MaxDelay later.
        return new RedeliveryDecision(false, tries + 1, first, retryAt < deadline ? retryAt : deadline);
    }
}
