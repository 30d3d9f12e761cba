using WebhookProcessor.Queue;

namespace WebhookProcessor.UnitTests.Queue;

public sealed class QueueOptionsTests
{
    private const double NoJitter = 0.5;

    private static QueueOptions Options() => new()
    {
        RetryBaseDelay = TimeSpan.FromSeconds(2),
        RetryMaxDelay = TimeSpan.FromMinutes(10),
    };

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(4, 16)]
    [InlineData(5, 32)]
    [InlineData(9, 512)]
    public void RetryDelay_WithoutJitter_DoublesPerDelivery(int deliveryCount, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), Options().RetryDelay(deliveryCount, NoJitter));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(31)]
    [InlineData(1000)]
    [InlineData(int.MaxValue)]
    public void RetryDelay_ManyDeliveries_IsCappedAtMaxDelay(int deliveryCount)
    {
        Assert.Equal(TimeSpan.FromMinutes(10), Options().RetryDelay(deliveryCount, NoJitter));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void RetryDelay_DeliveryCountBelowOne_UsesBaseDelay(int deliveryCount)
    {
        Assert.Equal(TimeSpan.FromSeconds(2), Options().RetryDelay(deliveryCount, NoJitter));
    }

    [Fact]
    public void RetryDelay_JitterExtremes_AreTwentyPercentEitherSide()
    {
        var options = Options();

        Assert.Equal(TimeSpan.FromSeconds(6.4), options.RetryDelay(3, 0.0));
        Assert.Equal(TimeSpan.FromSeconds(9.6), options.RetryDelay(3, 1.0));
    }

    [Fact]
    public void RetryDelay_AnyJitterInUnitRange_StaysWithinTwentyPercent()
    {
        var options = Options();
        for (var delivery = 1; delivery <= 15; delivery++)
        {
            var nominal = options.RetryDelay(delivery, NoJitter);
            for (var step = 0; step <= 20; step++)
            {
                var delay = options.RetryDelay(delivery, step / 20.0);
                Assert.InRange(delay.TotalMilliseconds, nominal.TotalMilliseconds * 0.8 - 0.001, nominal.TotalMilliseconds * 1.2 + 0.001);
            }
        }
    }

    [Fact]
    public void RetryDelay_FullJitterAtTheCap_NeverExceedsMaxDelay()
    {
        // Delivery 9: 2 s × 2^8 = 512 s nominal; +20 % would be 614.4 s, above the 600 s cap.
        Assert.Equal(TimeSpan.FromMinutes(10), Options().RetryDelay(9, 1.0));
        Assert.Equal(TimeSpan.FromSeconds(409.6), Options().RetryDelay(9, 0.0));
    }

    [Fact]
    public void RetryDelay_SuccessiveAttempts_GrowMonotonicallyUntilCap()
    {
        var options = Options();
        var previous = TimeSpan.Zero;
        for (var delivery = 1; delivery <= 40; delivery++)
        {
            var delay = options.RetryDelay(delivery, NoJitter);
            Assert.True(delay >= previous, $"delivery {delivery}: {delay} < {previous}");
            Assert.True(delay <= options.RetryMaxDelay);
            previous = delay;
        }

        Assert.Equal(options.RetryMaxDelay, previous);
    }

    [Fact]
    public void RetryDelay_CustomSettings_AreUsed()
    {
        var options = new QueueOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(250), RetryMaxDelay = TimeSpan.FromSeconds(1) };

        Assert.Equal(TimeSpan.FromMilliseconds(250), options.RetryDelay(1, NoJitter));
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.RetryDelay(2, NoJitter));
        Assert.Equal(TimeSpan.FromSeconds(1), options.RetryDelay(3, NoJitter));
        Assert.Equal(TimeSpan.FromSeconds(1), options.RetryDelay(4, NoJitter));
    }

    [Fact]
    public void Defaults_NothingConfigured_AreDocumentedValues()
    {
        var options = new QueueOptions();

        Assert.Equal(10, options.MaxDeliveryCount);
        Assert.Equal(TimeSpan.FromSeconds(60), options.VisibilityTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), options.RetryBaseDelay);
        Assert.Equal(TimeSpan.FromMinutes(10), options.RetryMaxDelay);
        Assert.Equal(1024, options.BatchSize);
        Assert.Equal("Queue", QueueOptions.SectionName);
    }
}
