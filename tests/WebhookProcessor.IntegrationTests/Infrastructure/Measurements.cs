using OpenTelemetry.Metrics;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>One export of the metrics: sums, counts and gauge values by instrument name and attributes.</summary>
public sealed class Measurements(IReadOnlyList<MetricSnapshot> snapshots)
{
    public IReadOnlyList<MetricSnapshot> Snapshots => snapshots;

    /// <summary>A counter's total over the points whose attributes include every pair of <paramref name="tags"/>.</summary>
    public double Sum(string name, params (string Key, string Value)[] tags) =>
        Points(name, tags).Sum(p => p.MetricType == MetricType.LongSum ? p.Point.GetSumLong() : p.Point.GetSumDouble());

    /// <summary>How many values a histogram recorded over the matching points.</summary>
    public long HistogramCount(string name, params (string Key, string Value)[] tags) =>
        Points(name, tags).Sum(p => p.Point.GetHistogramCount());

    /// <summary>A gauge's value at the matching point, or null when it reported none.</summary>
    public double? Gauge(string name, params (string Key, string Value)[] tags) =>
        Points(name, tags).Select(p => (double?)(p.MetricType == MetricType.LongGauge ? p.Point.GetGaugeLastValueLong() : p.Point.GetGaugeLastValueDouble())).FirstOrDefault();

    /// <summary>Every attribute value of every point, as text.</summary>
    public IEnumerable<(string Metric, string Key, string Value)> Attributes() =>
        snapshots.SelectMany(s => s.MetricPoints.SelectMany(p => Tags(p).Select(t => (s.Name, t.Key, t.Value?.ToString() ?? string.Empty))));

    private IEnumerable<(MetricType MetricType, MetricPoint Point)> Points(string name, (string Key, string Value)[] tags) =>
        snapshots.Where(s => s.Name == name)
            .SelectMany(s => s.MetricPoints.Select(p => (s.MetricType, p)))
            .Where(p => tags.All(t => Tags(p.p).Any(a => a.Key == t.Key && a.Value?.ToString() == t.Value)));

    private static List<KeyValuePair<string, object?>> Tags(MetricPoint point)
    {
        var list = new List<KeyValuePair<string, object?>>();
        foreach (var tag in point.Tags)
        {
            list.Add(tag);
        }

        return list;
    }
}
