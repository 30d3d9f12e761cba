using WebhookProcessor.Queue;
using WebhookProcessor.Storage;

namespace WebhookProcessor.UnitTests.Storage;

public sealed class BackoffTests
{
    private const double NoJitter = 0.5;
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Cap = TimeSpan.FromHours(1);

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(7, 1920)]
    public void Delay_WithoutJitter_DoublesPerAttempt(int attempt, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), Backoff.Delay(Base, Cap, attempt, NoJitter));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(int.MinValue)]
    public void Delay_AttemptBelowOne_IsTheBaseDelay(int attempt)
    {
        Assert.Equal(Base, Backoff.Delay(Base, Cap, attempt, NoJitter));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(31)]
    [InlineData(int.MaxValue)]
    public void Delay_ManyAttempts_IsCappedAtMaxDelay(int attempt)
    {
        Assert.Equal(Cap, Backoff.Delay(Base, Cap, attempt, NoJitter));
    }

    [Fact]
    public void Delay_JitterExtremes_AreTwentyPercentEitherSideAndCappedAfterJitter()
    {
        Assert.Equal(TimeSpan.FromSeconds(96), Backoff.Delay(Base, Cap, 3, 0.0));
        Assert.Equal(TimeSpan.FromSeconds(144), Backoff.Delay(Base, Cap, 3, 1.0));
        // Attempt 7: 1920 s nominal, +20 % is 2304 s; a 2000 s cap applies after the jitter.
        Assert.Equal(TimeSpan.FromSeconds(2000), Backoff.Delay(Base, TimeSpan.FromSeconds(2000), 7, 1.0));
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(7.0)]
    [InlineData(double.NaN)]
    public void Delay_JitterOutsideUnitRange_StaysWithinTwentyPercent(double jitter)
    {
        var delay = Backoff.Delay(Base, Cap, 2, jitter);

        Assert.InRange(delay, TimeSpan.FromSeconds(48), TimeSpan.FromSeconds(72));
    }

    [Fact]
    public void Delay_RandomJitter_StaysWithinTwentyPercentOfNominal()
    {
        for (var i = 0; i < 1000; i++)
        {
            Assert.InRange(Backoff.Delay(Base, Cap, 4), TimeSpan.FromSeconds(192), TimeSpan.FromSeconds(288));
        }
    }

    [Fact]
    public void QueueRetryDelay_AnyAttempt_IsTheSharedFormula()
    {
        var options = new QueueOptions { RetryBaseDelay = Base, RetryMaxDelay = Cap };

        for (var attempt = 0; attempt <= 12; attempt++)
        {
            foreach (var jitter in new[] { 0.0, 0.25, NoJitter, 1.0 })
            {
                Assert.Equal(Backoff.Delay(Base, Cap, attempt, jitter), options.RetryDelay(attempt, jitter));
            }
        }
    }
}
