namespace WebhookProcessor.Security;

/// <summary>
/// Settings under <c>RateLimiting</c>: how many requests that fail authentication one client address may
/// make per window before it is answered 429. Authenticated requests are never counted or refused.
/// </summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    public bool Enabled { get; init; } = true;

    /// <summary>Refused (401/403) requests one address may make in a window; the next ones get 429.</summary>
    public int PermitLimit { get; init; } = 30;

    /// <summary>The fixed window the limit counts over; refusals are also summarised in the log once per window.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Distinct addresses counted for the log summary; beyond this they are summed as one line.</summary>
    public int MaxTrackedClients { get; init; } = 10_000;
}
