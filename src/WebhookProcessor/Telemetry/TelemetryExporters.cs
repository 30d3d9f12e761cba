namespace WebhookProcessor.Telemetry;

/// <summary>
/// Which exporters the configuration asks for, read from the standard variables (as environment
/// variables or any other configuration source): nothing is exported unless one is set.
/// <list type="bullet">
/// <item><c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>: Azure Monitor (traces, metrics and logs).</item>
/// <item><c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or the signal's own <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> /
/// <c>…_METRICS_ENDPOINT</c>): OTLP; the exporter reads the other <c>OTEL_EXPORTER_OTLP_*</c> itself.</item>
/// <item><c>OTEL_TRACES_EXPORTER</c> / <c>OTEL_METRICS_EXPORTER</c>: a comma-separated list of
/// <c>otlp</c>, <c>console</c> and <c>none</c>, as the specification defines them; <c>none</c> turns the
/// signal's exporters off, Azure Monitor included.</item>
/// <item><c>OTEL_SDK_DISABLED=true</c> turns everything off.</item>
/// </list>
/// </summary>
public sealed record TelemetryExporters(bool AzureMonitor, bool OtlpTraces, bool OtlpMetrics, bool ConsoleTraces, bool ConsoleMetrics, bool Disabled)
{
    public bool Any => !Disabled && (AzureMonitor || OtlpTraces || OtlpMetrics || ConsoleTraces || ConsoleMetrics);

    public static TelemetryExporters From(IConfiguration configuration)
    {
        var disabled = string.Equals(configuration["OTEL_SDK_DISABLED"]?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        var endpoint = Set(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var traces = List(configuration["OTEL_TRACES_EXPORTER"]);
        var metrics = List(configuration["OTEL_METRICS_EXPORTER"]);
        var noTraces = traces.Contains("none");
        var noMetrics = metrics.Contains("none");
        return new TelemetryExporters(
            AzureMonitor: Set(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]) && !(noTraces && noMetrics),
            OtlpTraces: !noTraces && (traces.Contains("otlp") || endpoint || Set(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"])),
            OtlpMetrics: !noMetrics && (metrics.Contains("otlp") || endpoint || Set(configuration["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"])),
            ConsoleTraces: !noTraces && traces.Contains("console"),
            ConsoleMetrics: !noMetrics && metrics.Contains("console"),
            Disabled: disabled);
    }

    private static bool Set(string? value) => !string.IsNullOrWhiteSpace(value);

    private static HashSet<string> List(string? value) =>
        new((value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
}
