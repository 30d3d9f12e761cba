namespace WebhookProcessor.Telemetry;

/// <summary>Alerts not sent, by state, for the <c>webhookprocessor.alerts.waiting</c> gauge.</summary>
public sealed record WaitingAlerts(long Pending, long Failed, long Unrouted);
