using System.Diagnostics;
using OpenTelemetry;

namespace WebhookProcessor.Benchmarks;

/// <summary>Counts the spans that ended, before the batch processor may drop any under load.</summary>
internal sealed class SpanCounter : BaseProcessor<Activity>
{
    private long _ended;

    public long Ended => Interlocked.Read(ref _ended);

    public override void OnEnd(Activity data) => Interlocked.Increment(ref _ended);
}
