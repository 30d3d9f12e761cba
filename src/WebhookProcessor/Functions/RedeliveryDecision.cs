namespace WebhookProcessor.Functions;

/// <summary>
/// What to do with a change whose processing failed for a reason that may pass: try again at
/// <see cref="RetryAt"/> as try number <see cref="Attempt"/>, or, when <see cref="GiveUp"/> is set,
/// stop after <see cref="Attempt"/> tries and dead-letter it. <see cref="FirstFailedAt"/> travels
/// with every copy so the time limit counts from the first failure, not the latest.
/// </summary>
public sealed record RedeliveryDecision(bool GiveUp, int Attempt, DateTimeOffset FirstFailedAt, DateTimeOffset RetryAt);
