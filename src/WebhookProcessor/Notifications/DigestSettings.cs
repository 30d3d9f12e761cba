namespace WebhookProcessor.Notifications;

public sealed class DigestSettings
{
    /// <summary>Off by default.</summary>
    public bool Enabled { get; set; }

    /// <summary>UTC time of day the digest goes out.</summary>
    public TimeSpan TimeOfDayUtc { get; set; } = TimeSpan.FromHours(13);
}
