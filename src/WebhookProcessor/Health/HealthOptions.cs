namespace WebhookProcessor.Health;

/// <summary>Settings under <c>Health</c>: how long readiness waits for each dependency.</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>
    /// How long <c>/healthz/ready</c> waits for each of its checks (they run side by side) before it counts
    /// that one as failed. At or below the time out of common load balancer probes, so a probe sees a 503 rather than its own time out.
    /// </summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
