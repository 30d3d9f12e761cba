using WebhookProcessor.Catalog;

namespace WebhookProcessor.UnitTests.Catalog;

public sealed class PendingChangesTests
{
    private static readonly DateTimeOffset Effective = new(2025, 7, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    private static readonly PendingCategoryChange Pending = new("UTILITY", "MARKETING", Effective, Effective.AddDays(-5));

    [Theory]
    [InlineData(-60, false)]
    [InlineData(0, false)]
    [InlineData(59, false)]
    [InlineData(60, false)]
    [InlineData(61, true)]
    [InlineData(24 * 60, true)]
    public void IsOverdue_MinutesAfterTheEffectiveTime_OnlyOnceTheGraceHasPassed(int minutes, bool overdue)
    {
        Assert.Equal(overdue, PendingChanges.IsOverdue(Pending, Effective.AddMinutes(minutes), Grace));
    }

    [Fact]
    public void IsOverdue_NoGrace_AsSoonAsTheEffectiveTimeHasPassed()
    {
        Assert.False(PendingChanges.IsOverdue(Pending, Effective, TimeSpan.Zero));
        Assert.True(PendingChanges.IsOverdue(Pending, Effective.AddTicks(1), TimeSpan.Zero));
    }
}
