namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>A clock that moves only when told to: visibility timeouts and backoff without waiting.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
