using System.Net.Http.Headers;

namespace WebhookProcessor.Notifications;

/// <summary>
/// Reads an HTTP <c>Retry-After</c> header: delta seconds or an HTTP date (RFC 9110 §10.2.3). The Teams
/// pipeline's retry waits as the header asks by itself; this is for what the library does not do:
/// ending a round whose server asks for more than Notifications:Resilience:MaxRetryAfter, and saying
/// in the alert's lastError how long it asked for.
/// </summary>
public static class RetryAfterHeader
{
    /// <summary>The wait the server asked for; a date in the past is no wait; no header is <see langword="null"/>.</summary>
    public static TimeSpan? ToDelay(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta < TimeSpan.Zero ? null : delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>The same from the raw header text; anything unreadable is <see langword="null"/> (the normal backoff applies).</summary>
    public static TimeSpan? Parse(string? value, DateTimeOffset now) =>
        RetryConditionHeaderValue.TryParse(value, out var header) ? ToDelay(header, now) : null;
}
