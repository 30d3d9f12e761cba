using Microsoft.Extensions.Logging.Abstractions;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.UnitTests.Notifications;

public sealed class ChannelResilienceTests
{
    private static ResilienceSettings Settings() => new()
    {
        MaxRetryAttempts = 0,
        AttemptTimeout = TimeSpan.FromSeconds(5),
        FailureRatio = 0.5,
        MinimumThroughput = 2,
        SamplingDuration = TimeSpan.FromSeconds(30),
        BreakDuration = TimeSpan.FromMinutes(5),
    };

    private static ChannelResilience Create(int maxDestinations = ChannelResilience.DefaultMaxDestinations) =>
        new(AlertChannel.Email, Settings(), TimeProvider.System, NullLogger.Instance, FailureScope.Channel, maxDestinations);

    private static Func<CancellationToken, ValueTask> Fail(FailureScope scope) =>
        _ => throw new TransientDeliveryException("refused", scope: scope);

    [Fact]
    public async Task SendAsync_OneDestinationKeepsFailing_PausesOnlyThatDestination()
    {
        var resilience = Create();
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<AlertDeliveryException>(() => resilience.SendAsync("busy@example.com", Fail(FailureScope.Destination)));
        }

        var calls = 0;
        var paused = await Assert.ThrowsAsync<AlertDeliveryException>(() => resilience.SendAsync("busy@example.com", _ => { calls++; return ValueTask.CompletedTask; }));
        await resilience.SendAsync("fine@example.com", _ => { calls++; return ValueTask.CompletedTask; });

        Assert.Contains("E-mail alerts to busy@example.com paused", paused.Message, StringComparison.Ordinal);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task SendAsync_ChannelKeepsFailing_PausesEveryDestination()
    {
        var resilience = Create();
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<AlertDeliveryException>(() => resilience.SendAsync($"owner{i}@example.com", Fail(FailureScope.Channel)));
        }

        var paused = await Assert.ThrowsAsync<AlertDeliveryException>(() => resilience.SendAsync("new@example.com", _ => ValueTask.CompletedTask));

        Assert.Contains("E-mail channel paused", paused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ManyDestinations_KeepsOnlyTheMostRecentOnes()
    {
        var resilience = Create(maxDestinations: 3);

        for (var i = 0; i < 50; i++)
        {
            await resilience.SendAsync($"owner{i}@example.com", _ => ValueTask.CompletedTask);
        }

        Assert.Equal(3, resilience.DestinationCount);
    }
}
