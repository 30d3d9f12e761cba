namespace WebhookProcessor.Notifications;

public static class NotificationStatus
{
    public const string Pending = "pending";

    /// <summary>Taken by the dispatcher; a delivery round is under way.</summary>
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Failed = "failed";

    /// <summary>No owner matched the template and no default owner was configured.</summary>
    public const string Unrouted = "unrouted";

    /// <summary>Was unrouted; re-sent to the owner that matched later.</summary>
    public const string Rerouted = "rerouted";

    public static readonly IReadOnlyList<string> All = [Pending, Sending, Sent, Failed, Unrouted, Rerouted];
}
