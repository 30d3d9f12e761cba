using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.UnitTests.Reconciliation;

public sealed class ReconciliationRunIdsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 5, 7, 42, TimeSpan.FromHours(2));

    [Fact]
    public void New_AnyTime_IsWellFormedUtcStartTimeAndRandomSuffix()
    {
        var id = ReconciliationRunIds.New(Start);

        Assert.True(ReconciliationRunIds.IsWellFormed(id), id);
        Assert.StartsWith("20261130T070507042Z-", id, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{8}$", id[20..]);
    }

    [Fact]
    public void New_SameMillisecond_GivesDifferentIds()
    {
        var ids = Enumerable.Range(0, 50).Select(_ => ReconciliationRunIds.New(Start)).ToHashSet();

        Assert.Equal(50, ids.Count);
    }

    [Fact]
    public void New_LaterStart_SortsLaterOrdinally()
    {
        var times = new[] { Start, Start.AddMilliseconds(1), Start.AddSeconds(59), Start.AddHours(20), Start.AddDays(40), Start.AddYears(1) };

        var ids = times.Select(ReconciliationRunIds.New).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("20261130T070507042Z-0a1b2c3")]
    [InlineData("20261130T070507042Z-0a1b2c3d4")]
    [InlineData("20261130T070507042Z-0A1B2C3D")]
    [InlineData("20261130T070507042Z-0a1b2c3g")]
    [InlineData("20261130 070507042Z-0a1b2c3d")]
    [InlineData("20261130T070507042+-0a1b2c3d")]
    [InlineData("20261130T070507042Z_0a1b2c3d")]
    [InlineData("2026113xT070507042Z-0a1b2c3d")]
    [InlineData("20261130T07050704xZ-0a1b2c3d")]
    [InlineData("../../../../etc/passwd-0a1b2")]
    public void IsWellFormed_OtherShapes_AreRefused(string id)
    {
        Assert.False(ReconciliationRunIds.IsWellFormed(id));
    }

    [Fact]
    public void IsWellFormed_TheShapeNewMakes_IsAccepted()
    {
        Assert.True(ReconciliationRunIds.IsWellFormed("20261130T070507042Z-0a1b2c3d"));
    }
}
