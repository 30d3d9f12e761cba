using Microsoft.Extensions.Configuration;
using WebhookProcessor.Telemetry;

namespace WebhookProcessor.UnitTests.Telemetry;

public sealed class TelemetryExportersTests
{
    [Fact]
    public void From_NothingSet_ExportsNothing()
    {
        var exporters = TelemetryExporters.From(Config());

        Assert.False(exporters.Any);
    }

    [Fact]
    public void From_ApplicationInsightsConnectionString_TurnsOnAzureMonitorOnly()
    {
        var exporters = TelemetryExporters.From(Config(("APPLICATIONINSIGHTS_CONNECTION_STRING", "InstrumentationKey=00000000-0000-0000-0000-000000000000")));

        Assert.Equal((true, false, false, true), (exporters.AzureMonitor, exporters.OtlpTraces, exporters.OtlpMetrics, exporters.Any));
    }

    [Fact]
    public void From_OtlpEndpoint_TurnsOnOtlpForBothSignals()
    {
        var exporters = TelemetryExporters.From(Config(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")));

        Assert.Equal((true, true, false), (exporters.OtlpTraces, exporters.OtlpMetrics, exporters.AzureMonitor));
    }

    [Fact]
    public void From_SignalEndpointAndConsoleList_TurnOnWhatTheyName()
    {
        var exporters = TelemetryExporters.From(Config(
            ("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://127.0.0.1:4318/v1/metrics"),
            ("OTEL_TRACES_EXPORTER", " console , otlp")));

        Assert.Equal((true, true, true, false), (exporters.OtlpTraces, exporters.OtlpMetrics, exporters.ConsoleTraces, exporters.ConsoleMetrics));
    }

    [Fact]
    public void From_NoneForASignal_TurnsOffItsExportersEvenWithAnEndpoint()
    {
        var exporters = TelemetryExporters.From(Config(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"),
            ("OTEL_METRICS_EXPORTER", "none")));

        Assert.Equal((true, false), (exporters.OtlpTraces, exporters.OtlpMetrics));
    }

    [Fact]
    public void From_SdkDisabled_ExportsNothingWhateverElseIsSet()
    {
        var exporters = TelemetryExporters.From(Config(
            ("OTEL_SDK_DISABLED", "TRUE"),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"),
            ("APPLICATIONINSIGHTS_CONNECTION_STRING", "InstrumentationKey=x")));

        Assert.False(exporters.Any);
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
