namespace WebhookProcessor.Notifications;

/// <summary>Whose failure a failed attempt is, and so which circuit breaker it counts against.</summary>
public enum FailureScope
{
    /// <summary>The channel's own: the SMTP server is down or refuses every message. Pauses the channel for everyone.</summary>
    Channel,

    /// <summary>One destination's: a Teams URL that does not answer, a mailbox the server turns away. Pauses only that destination.</summary>
    Destination,
}
