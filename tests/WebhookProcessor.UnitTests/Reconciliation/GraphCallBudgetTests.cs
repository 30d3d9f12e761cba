using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.UnitTests.Reconciliation;

public sealed class GraphCallBudgetTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task AcquireAsync_WithinBudget_DoesNotWait()
    {
        var budget = Budget(3);

        for (var i = 0; i < 3; i++)
        {
            Assert.True(budget.AcquireAsync("1").AsTask().IsCompleted);
        }

        await budget.AcquireAsync("2"); // another account has its own hour
        Assert.Equal(3, budget.Used("1"));
    }

    [Fact]
    public async Task AcquireAsync_BudgetUsedUp_WaitsUntilTheOldestCallLeavesTheHour()
    {
        var budget = Budget(2);
        await budget.AcquireAsync("1");
        _time.Advance(TimeSpan.FromMinutes(10));
        await budget.AcquireAsync("1");

        var third = budget.AcquireAsync("1").AsTask();
        _time.Advance(TimeSpan.FromMinutes(49));
        Assert.False(third.IsCompleted);

        _time.Advance(TimeSpan.FromMinutes(1));
        await third.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, budget.Used("1"));
    }

    [Fact]
    public async Task Hold_Throttled_DelaysTheAccountOnly()
    {
        var budget = Budget(10);
        budget.Hold("1", TimeSpan.FromMinutes(5));

        var held = budget.AcquireAsync("1").AsTask();
        Assert.True(budget.AcquireAsync("2").AsTask().IsCompleted);
        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.False(held.IsCompleted);

        _time.Advance(TimeSpan.FromMinutes(1));
        await held.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileWaiting_Throws()
    {
        var budget = Budget(1);
        await budget.AcquireAsync("1");
        using var cancel = new CancellationTokenSource();

        var waiting = budget.AcquireAsync("1", cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(1, budget.Used("1"));
    }

    private GraphCallBudget Budget(int perHour) =>
        new(Options.Create(new GraphApiOptions { CallsPerHourPerAccount = perHour }), _time);
}
