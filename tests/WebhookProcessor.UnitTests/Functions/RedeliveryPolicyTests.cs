using Microsoft.Extensions.Time.Testing;
using WebhookProcessor.Functions;

namespace WebhookProcessor.UnitTests.Functions;

public sealed class RedeliveryPolicyTests
{
    private static readonly RedeliveryOptions Options = new()
    {
        FirstDelay = TimeSpan.FromSeconds(5),
        MaxDelay = TimeSpan.FromMinutes(5),
        GiveUpAfter = TimeSpan.FromHours(1),
    };

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 7, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly RedeliveryPolicy _policy = new(Options);

    [Fact]
    public void Decide_FirstFailure_RetriesAfterTheFirstDelayAsTryTwoFromNow()
    {
        var now = _clock.GetUtcNow();

        var decision = _policy.Decide(0, null, now, jitter: 0.5);

        Assert.Equal(new RedeliveryDecision(false, 2, now, now.AddSeconds(5)), decision);
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(5, 160)]
    [InlineData(6, 300)]
    [InlineData(40, 300)]
    public void Decide_LaterFailures_DoubleTheDelayUpToMaxDelay(int retries, int seconds)
    {
        var (first, decision) = DecideAfter(TimeSpan.FromMinutes(1), retries);

        Assert.False(decision.GiveUp);
        Assert.Equal(retries + 2, decision.Attempt);
        Assert.Equal(first, decision.FirstFailedAt);
        Assert.Equal(_clock.GetUtcNow().AddSeconds(seconds), decision.RetryAt);
    }

    [Theory]
    [InlineData(0.0, 4)]
    [InlineData(1.0, 6)]
    public void Decide_Jitter_SpreadsTheDelayByTwentyPercent(double jitter, int seconds)
    {
        var now = _clock.GetUtcNow();

        Assert.Equal(now.AddSeconds(seconds), _policy.Decide(0, null, now, jitter).RetryAt);
    }

    [Fact]
    public void Decide_NearTheLimit_LastTryLandsOnTheLimit()
    {
        var (first, decision) = DecideAfter(TimeSpan.FromMinutes(58), retries: 12);

        Assert.False(decision.GiveUp);
        Assert.Equal(first.AddHours(1), decision.RetryAt);
    }

    [Fact]
    public void Decide_GiveUpAfterPassed_GivesUpCountingEveryTry()
    {
        var (first, decision) = DecideAfter(TimeSpan.FromHours(1), retries: 14);

        Assert.True(decision.GiveUp);
        Assert.Equal(15, decision.Attempt);
        Assert.Equal(first, decision.FirstFailedAt);
    }

    [Fact]
    public void Decide_FirstFailureInTheFuture_CountsFromNow()
    {
        var now = _clock.GetUtcNow();

        var decision = _policy.Decide(3, now.AddDays(2), now, jitter: 0.5);

        Assert.False(decision.GiveUp);
        Assert.Equal(now, decision.FirstFailedAt);
    }

    [Fact]
    public void Decide_DefaultSettings_GiveUpAfterAboutAnHourOfTries()
    {
        // Follows a change failing on every try with the defaults: how many tries an hour's outage costs.
        var policy = new RedeliveryPolicy(new RedeliveryOptions());
        var first = _clock.GetUtcNow();
        DateTimeOffset? firstFailedAt = null;
        var retries = 0;
        RedeliveryDecision decision;
        while (!(decision = policy.Decide(retries, firstFailedAt, _clock.GetUtcNow(), jitter: 0.5)).GiveUp)
        {
            firstFailedAt = decision.FirstFailedAt;
            retries = decision.Attempt - 1;
            _clock.SetUtcNow(decision.RetryAt);
        }

        Assert.Equal(first.AddHours(1), _clock.GetUtcNow());
        Assert.Equal(18, decision.Attempt); // 5, 10, 20, 40, 80, 160 s, then every 5 min, the last at the hour
    }

    /// <summary>Decides on a failure <paramref name="elapsed"/> after the first one (returned with the decision).</summary>
    private (DateTimeOffset First, RedeliveryDecision Decision) DecideAfter(TimeSpan elapsed, int retries)
    {
        var first = _clock.GetUtcNow();
        _clock.Advance(elapsed);
        return (first, _policy.Decide(retries, first, _clock.GetUtcNow(), jitter: 0.5));
    }
}
