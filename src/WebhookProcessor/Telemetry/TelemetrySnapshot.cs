namespace WebhookProcessor.Telemetry;

/// <summary>What the gauges report, as last read from the stores; null where the store could not tell.</summary>
public sealed record TelemetrySnapshot(
    long? QueueDepth,
    double? OldestMessageAgeSeconds,
    long? DeadLetters,
    double? NextPendingChangeSeconds,
    WaitingAlerts? Alerts)
{
    public static TelemetrySnapshot Empty { get; } = new(null, null, null, null, null);
}
