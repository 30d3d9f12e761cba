namespace WebhookProcessor.Security;

/// <summary>
/// What to do with a request that failed authentication. <see cref="Limited"/>: answer 429 with
/// <see cref="RetryAfter"/>. <see cref="LogDetail"/>: the first refusal of this client in the summary
/// period, the one whose reason is worth a log line of its own; the rest are only counted.
/// </summary>
public readonly record struct RefusalVerdict(bool Limited, TimeSpan RetryAfter, bool LogDetail);
