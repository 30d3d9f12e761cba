namespace WebhookProcessor.Storage;

/// <summary>
/// The one retry-delay formula of the service: doubling from a base delay per attempt, ±20 % jitter so
/// work that failed together does not come back together, capped after the jitter. Used by queue
/// redelivery and by alert delivery rounds; it lives here, beside other shared plumbing, so neither
/// of those namespaces depends on the other.
/// </summary>
public static class Backoff
{
    /// <summary>Highest doubling applied: beyond 2^30 every sane cap has long been reached, and Math.Pow stays finite.</summary>
    private const int MaxExponent = 30;

    /// <summary>
    /// Delay before retrying after failed attempt number <paramref name="attempt"/> (1 for the first failure).
    /// </summary>
    /// <param name="jitter">A number in [0, 1]: 0 gives −20 %, 0.5 the nominal delay, 1 gives +20 %.</param>
    public static TimeSpan Delay(TimeSpan baseDelay, TimeSpan maxDelay, int attempt, double jitter)
    {
        // attempt - 1 would overflow for int.MinValue; clamp first.
        var exponent = Math.Clamp(Math.Max(attempt, 1) - 1, 0, MaxExponent);
        // A jitter outside [0, 1] (or NaN) must not produce a negative, huge or invalid delay.
        var unit = double.IsFinite(jitter) ? Math.Clamp(jitter, 0, 1) : 0.5;
        var jittered = baseDelay.TotalMilliseconds * Math.Pow(2, exponent) * (0.8 + (0.4 * unit));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, maxDelay.TotalMilliseconds));
    }

    /// <summary><see cref="Delay(TimeSpan, TimeSpan, int, double)"/> with a random jitter.</summary>
    public static TimeSpan Delay(TimeSpan baseDelay, TimeSpan maxDelay, int attempt) =>
        Delay(baseDelay, maxDelay, attempt, Random.Shared.NextDouble());
}
