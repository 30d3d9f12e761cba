using WebhookProcessor.Notifications;

namespace WebhookProcessor.Ops;

/// <summary>What <see cref="AlertRetry.RetryAsync"/> did.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Original">The alert as it was asked for; null when there is none.</param>
/// <param name="Why">For <see cref="AlertRetryOutcome.NotRetryable"/>: the reason, in words for the API's problem detail.</param>
/// <param name="Alerts">For <see cref="AlertRetryOutcome.Resent"/>: the alerts now on their way, as stored after the change.</param>
public sealed record AlertRetryResult(AlertRetryOutcome Outcome, Notification? Original, string? Why, IReadOnlyList<Notification> Alerts);
