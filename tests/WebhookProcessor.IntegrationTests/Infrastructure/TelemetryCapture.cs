using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// The OpenTelemetry in-memory exporters wired into a service under test: every finished span, and the
/// metrics as of each <see cref="Flush"/>. The service runs with <c>Telemetry:Enabled=true</c>, so it
/// registers the SDK with its own sources and instrumentation and no exporter of its own.
/// </summary>
public sealed class TelemetryCapture
{
    private readonly Lock _gate = new();
    private readonly List<Activity> _spans = [];
    private readonly List<MetricSnapshot> _metrics = [];

    public static Dictionary<string, string?> Settings(IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["Telemetry:Enabled"] = "true" };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>For <see cref="InProcessService.StartAsync"/>'s overrides: adds the in-memory exporters.</summary>
    public void Register(IServiceCollection services)
    {
        services.ConfigureOpenTelemetryTracerProvider(t => t.AddProcessor(new SimpleActivityExportProcessor(new SpanSink(this))));
        services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(new MetricSink(this), o =>
            // Long enough never to export on its own: the tests read metrics when they flush.
            o.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 3_600_000));
    }

    public IReadOnlyList<Activity> Spans
    {
        get
        {
            lock (_gate)
            {
                return [.. _spans];
            }
        }
    }

    /// <summary>Exports the metrics as they are now (cumulative) and returns them.</summary>
    public Measurements Flush(IServiceProvider services)
    {
        lock (_gate)
        {
            _metrics.Clear();
        }

        Assert.True(services.GetRequiredService<MeterProvider>().ForceFlush(10_000), "the meter provider did not flush");
        lock (_gate)
        {
            return new Measurements([.. _metrics]);
        }
    }

    /// <summary>Waits for a finished span that <paramref name="match"/> accepts.</summary>
    public Task<Activity> WaitForSpanAsync(Func<Activity, bool> match, string what, TimeSpan? timeout = null) =>
        Eventually.Until(() => Task.FromResult(Spans.FirstOrDefault(match)), s => s is not null, timeout ?? TimeSpan.FromSeconds(30), what)!;

    private sealed class SpanSink(TelemetryCapture owner) : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            lock (owner._gate)
            {
                foreach (var activity in batch)
                {
                    owner._spans.Add(activity);
                }
            }

            return ExportResult.Success;
        }
    }

    private sealed class MetricSink(TelemetryCapture owner) : ICollection<MetricSnapshot>
    {
        public int Count => 0;

        public bool IsReadOnly => false;

        public void Add(MetricSnapshot item)
        {
            lock (owner._gate)
            {
                owner._metrics.Add(item);
            }
        }

        public void Clear()
        {
        }

        public bool Contains(MetricSnapshot item) => false;

        public void CopyTo(MetricSnapshot[] array, int arrayIndex)
        {
        }

        public bool Remove(MetricSnapshot item) => false;

        public IEnumerator<MetricSnapshot> GetEnumerator() => Enumerable.Empty<MetricSnapshot>().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
