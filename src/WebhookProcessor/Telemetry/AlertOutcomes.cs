namespace WebhookProcessor.Telemetry;

/// <summary>The values of the <c>outcome</c> dimension of the alert metrics.</summary>
public static class AlertOutcomes
{
    public const string Sent = "sent";

    /// <summary>The round failed; the alert is tried again later.</summary>
    public const string Retry = "retry";

    /// <summary>The round failed and the alert waits for an operator's re-send.</summary>
    public const string Failed = "failed";
}
