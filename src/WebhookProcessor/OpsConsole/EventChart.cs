using System.Globalization;
using WebhookProcessor.Catalog;

namespace WebhookProcessor.OpsConsole;

/// <summary>
/// The geometry of the overview's events-per-day chart: one stacked bar per UTC day, one segment per
/// kind, scaled to a round axis maximum. Pure, so the page only draws what this computes and a unit
/// test can check the numbers without a browser.
/// </summary>
public sealed class EventChart
{
    public const double Width = 720;
    public const double Height = 270;
    public const double PlotLeft = 48;
    public const double PlotRight = 712;
    public const double PlotTop = 12;
    public const double PlotBottom = 226;

    /// <summary>Colours told apart with the common forms of colour blindness (Okabe and Ito's palette), in the order of <see cref="EventKind"/>.</summary>
    private static readonly string[] Palette = ["#0072b2", "#e69f00", "#d55e00", "#009e73", "#cc79a7", "#56b4e9", "#999999", "#b8a200", "#000000", "#7f3c8d"];

    private readonly Dictionary<(DateOnly Day, string Kind), int> _counts;

    private EventChart(IReadOnlyList<DateOnly> days, IReadOnlyList<string> kinds, Dictionary<(DateOnly, string), int> counts, int axisMax)
    {
        Days = days;
        Kinds = kinds;
        _counts = counts;
        AxisMax = axisMax;
        Total = counts.Values.Sum();
        var slot = (PlotRight - PlotLeft) / days.Count;
        var scale = (PlotBottom - PlotTop) / axisMax;
        var bars = new List<EventChartBar>();
        var xLabels = new List<EventChartTick>();
        for (var i = 0; i < days.Count; i++)
        {
            var x = PlotLeft + (i * slot) + (slot * 0.15);
            var stacked = 0;
            foreach (var kind in kinds)
            {
                if (CountOf(days[i], kind) is var count and > 0)
                {
                    stacked += count;
                    bars.Add(new EventChartBar(days[i], kind, count, Round(x), Round(PlotBottom - (stacked * scale)), Round(slot * 0.7), Round(count * scale), ColorOf(kind)));
                }
            }

            // Every fifth day is labelled, counting back from the last so today always is.
            if ((days.Count - 1 - i) % 5 == 0)
            {
                xLabels.Add(new EventChartTick(days[i].ToString("MM-dd", CultureInfo.InvariantCulture), Round(PlotLeft + (i * slot) + (slot / 2)), PlotBottom + 16));
            }
        }

        Bars = bars;
        XLabels = xLabels;
        var step = axisMax % 2 == 0 ? axisMax / 2 : axisMax;
        YTicks = Enumerable.Range(0, (axisMax / step) + 1)
            .Select(n => n * step)
            .Select(v => new EventChartTick(v.ToString(CultureInfo.InvariantCulture), PlotLeft - 6, Round(PlotBottom - (v * scale))))
            .ToList();
    }

    /// <summary>Every day shown, oldest first.</summary>
    public IReadOnlyList<DateOnly> Days { get; }

    /// <summary>The kinds that occurred in the window, in <see cref="EventKind"/> order (unknown names last): the legend.</summary>
    public IReadOnlyList<string> Kinds { get; }

    public IReadOnlyList<EventChartBar> Bars { get; }

    public IReadOnlyList<EventChartTick> XLabels { get; }

    public IReadOnlyList<EventChartTick> YTicks { get; }

    /// <summary>The top of the count axis: the busiest day's total rounded up to 1, 2 or 5 times a power of ten.</summary>
    public int AxisMax { get; }

    public int Total { get; }

    public int CountOf(DateOnly day, string kind) => _counts.GetValueOrDefault((day, kind));

    public int TotalOf(DateOnly day) => Kinds.Sum(k => CountOf(day, k));

    public static string ColorOf(string kind) =>
        EventKindNames.FromApiName(kind) is { } known && (int)known < Palette.Length ? Palette[(int)known] : Palette[(int)EventKind.Unknown];

    /// <summary>The chart of the <paramref name="dayCount"/> days ending with <paramref name="lastDay"/>; counts outside them are ignored.</summary>
    public static EventChart Build(IEnumerable<DailyEventCount> counts, DateOnly lastDay, int dayCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dayCount, 1);
        var days = Enumerable.Range(0, dayCount).Select(i => lastDay.AddDays(i - dayCount + 1)).ToList();
        var first = days[0];
        var inWindow = new Dictionary<(DateOnly, string), int>();
        foreach (var c in counts.Where(c => c.Day >= first && c.Day <= lastDay && c.Count > 0))
        {
            inWindow[(c.Day, c.Kind)] = inWindow.GetValueOrDefault((c.Day, c.Kind)) + c.Count;
        }

        var kinds = inWindow.Keys.Select(k => k.Item2).Distinct(StringComparer.Ordinal)
            .OrderBy(k => EventKindNames.FromApiName(k) is { } known ? (int)known : int.MaxValue)
            .ThenBy(k => k, StringComparer.Ordinal)
            .ToList();
        var busiest = days.Select(d => kinds.Sum(k => inWindow.GetValueOrDefault((d, k)))).DefaultIfEmpty(0).Max();
        return new EventChart(days, kinds, inWindow, RoundUp(busiest));
    }

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="value"/> and at least 1.</summary>
    public static int RoundUp(int value)
    {
        var power = 1;
        while (true)
        {
            foreach (var factor in (int[])[1, 2, 5])
            {
                if (factor * power >= value)
                {
                    return factor * power;
                }
            }

            power *= 10;
        }
    }

    private static double Round(double value) => Math.Round(value, 2);
}
