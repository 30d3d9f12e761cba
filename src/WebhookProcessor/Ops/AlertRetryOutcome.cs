namespace WebhookProcessor.Ops;

/// <summary>How a request to re-send one alert ended.</summary>
public enum AlertRetryOutcome
{
    /// <summary>Re-sent: a failed alert is pending again, or an unrouted one went to the owner that matches now.</summary>
    Resent,
    NotFound,

    /// <summary>No owner matches the unrouted alert yet, and there is no default owner.</summary>
    StillNoOwner,

    /// <summary>Neither failed nor unrouted (any more): there is nothing to re-send.</summary>
    NotRetryable,
}
