namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// A clock whose "now" moves only when told to, while its timers still run in real time. Prefer
/// <c>FakeTimeProvider</c> (its timers move with it too); this remains for tests of code whose short
/// real waits (Polly's retry delays) must pass on their own while a longer period (a circuit breaker's
/// break) is skipped by moving the clock.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
