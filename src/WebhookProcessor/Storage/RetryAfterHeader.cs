using System.Net.Http.Headers;

namespace WebhookProcessor.Storage;

/// <summary>
/// Reads an HTTP <c>Retry-After</c> header: delta seconds or an HTTP date (RFC 9110 §10.2.3). The
/// resilience pipelines wait as the header asks by themselves; this is for what the library does not
/// do: giving up on a server that asks for longer than the caller's cap (Teams alerts, Graph API
/// calls), and saying how long it asked for. Retry plumbing shared by features, like <see cref="Backoff"/>.
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
