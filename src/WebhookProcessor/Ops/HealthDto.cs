namespace WebhookProcessor.Ops;

/// <param name="PendingAlerts">Alerts waiting to be sent (or being sent).</param>
/// <param name="FailedAlerts">Alerts that used up their attempts and wait for a re-send.</param>
/// <param name="UnroutedAlerts">Alerts for templates no owner matches, with no default owner.</param>
public sealed record HealthDto(string Status, long? QueueDepth, double? OldestMessageAgeSeconds, long? DeadLetterCount, int? PendingAlerts, int? FailedAlerts, int? UnroutedAlerts, string? Error);
