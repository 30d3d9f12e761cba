using WebhookProcessor.Catalog;
using WebhookProcessor.OpsConsole;

namespace WebhookProcessor.UnitTests.OpsConsole;

public sealed class EventChartTests
{
    private static readonly DateOnly Today = new(2026, 6, 30);

    [Fact]
    public void Build_CountsOnSeveralDays_StacksOneBarPerDayAndKindScaledToTheRoundedMaximum()
    {
        var chart = EventChart.Build(
            [
                new DailyEventCount(Today, "status", 4),
                new DailyEventCount(Today, "category-change-pending", 3),
                new DailyEventCount(Today.AddDays(-2), "status", 1),
                new DailyEventCount(Today.AddDays(-30), "status", 99), // before the window
            ],
            Today,
            30);

        Assert.Equal(30, chart.Days.Count);
        Assert.Equal(Today.AddDays(-29), chart.Days[0]);
        Assert.Equal(["status", "category-change-pending"], chart.Kinds);
        Assert.Equal(10, chart.AxisMax);
        Assert.Equal(8, chart.Total);
        Assert.Equal(3, chart.Bars.Count);

        var scale = (EventChart.PlotBottom - EventChart.PlotTop) / 10;
        var today = chart.Bars.Where(b => b.Day == Today).ToList();
        // Status sits at the bottom, the announced change on top of it: 7 events reach 7/10 of the height.
        Assert.Equal(EventChart.PlotBottom - (4 * scale), today[0].Y, 2);
        Assert.Equal(4 * scale, today[0].Height, 2);
        Assert.Equal(EventChart.PlotBottom - (7 * scale), today[1].Y, 2);
        Assert.Equal(today[0].X, today[1].X);
        Assert.True(today[0].X + today[0].Width <= EventChart.PlotRight);
        Assert.True(chart.Bars.Single(b => b.Day == Today.AddDays(-2)).X < today[0].X);
        Assert.NotEqual(today[0].Fill, today[1].Fill);
        Assert.Equal(["0", "5", "10"], chart.YTicks.Select(t => t.Label));
        Assert.Equal("06-30", chart.XLabels[^1].Label);
        Assert.Equal(6, chart.XLabels.Count);
        Assert.Equal(7, chart.TotalOf(Today));
    }

    [Fact]
    public void Build_NoEvents_DrawsNoBarsOnAnAxisOfOne()
    {
        var chart = EventChart.Build([], Today, 30);

        Assert.Empty(chart.Bars);
        Assert.Empty(chart.Kinds);
        Assert.Equal(1, chart.AxisMax);
        Assert.Equal(0, chart.Total);
        Assert.Equal(["0", "1"], chart.YTicks.Select(t => t.Label));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 5)]
    [InlineData(7, 10)]
    [InlineData(11, 20)]
    [InlineData(501, 1000)]
    public void RoundUp_Values_GiveOneTwoOrFiveTimesAPowerOfTen(int value, int expected) =>
        Assert.Equal(expected, EventChart.RoundUp(value));
}
