namespace WebhookProcessor.Telemetry;

/// <summary>
/// The names an operator's collector filters on: the <see cref="System.Diagnostics.ActivitySource"/> of
/// every span this service makes and the <see cref="System.Diagnostics.Metrics.Meter"/> of its metrics
/// share one name, and the resource's <c>service.name</c> defaults to it.
/// </summary>
public static class TelemetryNames
{
    public const string ServiceName = "WebhookProcessor";

    public const string ActivitySource = "WebhookProcessor";

    public const string Meter = "WebhookProcessor";

    /// <summary>The meter of Polly's resilience telemetry (retries, circuit breakers, timeouts).</summary>
    public const string PollyMeter = "Polly";
}
