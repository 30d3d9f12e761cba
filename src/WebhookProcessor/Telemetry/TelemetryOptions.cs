namespace WebhookProcessor.Telemetry;

/// <summary>
/// Settings under <c>Telemetry</c>. Where telemetry goes is not set here: the standard variables choose
/// the exporters (<c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>, <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>,
/// <c>OTEL_TRACES_EXPORTER</c>/<c>OTEL_METRICS_EXPORTER</c>; see <see cref="TelemetryExporters"/>).
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>
    /// Null (the default): spans and metrics are collected only when an exporter is configured. True
    /// collects them with no exporter too (a host that adds its own, as the tests do); false never.
    /// </summary>
    public bool? Enabled { get; init; }

    /// <summary>How often the gauges (queue depth, oldest age, dead letters, next pending change, waiting alerts) are read from the stores.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// True when a host outside the process records each invocation as a request (the Functions host
    /// does; it is set there, not by configuration): the service's processing spans are then internal
    /// rather than consumer spans, which Application Insights would count as a second request.
    /// </summary>
    public bool HostRecordsInvocations { get; set; }
}
