using System.Diagnostics;
using OpenTelemetry;

namespace WebhookProcessor.Benchmarks;

/// <summary>A trace exporter that keeps nothing and only counts what it was handed: a sink that costs nothing itself.</summary>
internal sealed class NoopSpanExporter : BaseExporter<Activity>
{
    private long _exported;

    public long Exported => Interlocked.Read(ref _exported);

    public override ExportResult Export(in Batch<Activity> batch)
    {
        Interlocked.Add(ref _exported, batch.Count);
        return ExportResult.Success;
    }
}
