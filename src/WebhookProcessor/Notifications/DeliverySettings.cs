namespace WebhookProcessor.Notifications;

public sealed class DeliverySettings
{
    /// <summary>How often the dispatcher looks for due alerts when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Delivery rounds (each a full run of the channel's pipeline) before an alert is failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the first failed round; doubled each round, with jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Alerts sent at once per channel.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>
    /// Whether the dispatcher loops run inside this process. Off when something else calls
    /// <see cref="AlertDispatcher.DispatchDueAsync"/> on a schedule (the Functions timer trigger).
    /// </summary>
    public bool RunInBackground { get; set; } = true;
}
