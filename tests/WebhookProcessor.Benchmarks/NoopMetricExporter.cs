using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace WebhookProcessor.Benchmarks;

/// <summary>
/// A metric exporter that keeps nothing: it counts exports and reads one counter's running total
/// (cumulative temporality, the reader's default), so a run can check that every event was recorded.
/// </summary>
internal sealed class NoopMetricExporter(string checkedCounter) : BaseExporter<Metric>
{
    private long _exports;
    private long _points;
    private long _checkedTotal;

    public long Exports => Interlocked.Read(ref _exports);

    public long Points => Interlocked.Read(ref _points);

    /// <summary>The last exported total of the checked counter, summed over its dimensions.</summary>
    public long CheckedTotal => Interlocked.Read(ref _checkedTotal);

    public override ExportResult Export(in Batch<Metric> batch)
    {
        Interlocked.Increment(ref _exports);
        foreach (var metric in batch)
        {
            long total = 0;
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                Interlocked.Increment(ref _points);
                if (metric.Name == checkedCounter)
                {
                    total += point.GetSumLong();
                }
            }

            if (metric.Name == checkedCounter)
            {
                Interlocked.Exchange(ref _checkedTotal, total);
            }
        }

        return ExportResult.Success;
    }
}
