using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.IntegrationTests.Telemetry;

/// <summary>Exporters come from configuration only: none by default, OTLP to a real loopback receiver when its endpoint is set.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryExportTests
{
    [Fact]
    public async Task Start_NoExporterConfigured_RegistersNoTelemetryProviders()
    {
        await using var service = await InProcessService.StartAsync();

        Assert.Equal((null, null), (service.Services.GetService<TracerProvider>(), service.Services.GetService<MeterProvider>()));
    }

    [Fact]
    public async Task Export_OtlpEndpointConfigured_SendsTheWebhooksSpansAndMetricsWithTheConfiguredServiceName()
    {
        await using var collector = new FakeOtlpCollector();
        await collector.InitializeAsync();
        await using var service = await InProcessService.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseAddress.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "webhooks-otlp-check",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "300",
        });

        using var response = await service.Client.PostWebhookAsync(Samples.StatusWebhook(7601, 1_751_300_000));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var traces = await collector.WaitForExportAsync("/v1/traces", WebhookIntake.EnqueueSpan, TimeSpan.FromSeconds(30));
        Assert.Contains("webhooks-otlp-check", traces.Body, StringComparison.Ordinal);
        Assert.Equal("application/x-protobuf", traces.Headers["Content-Type"]);
        await collector.WaitForExportAsync("/v1/metrics", "webhookprocessor.webhooks", TimeSpan.FromSeconds(30));
    }
}
