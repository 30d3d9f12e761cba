namespace WebhookProcessor.Notifications;

/// <summary>The <c>Notifications</c> configuration section.</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>Accept plain-http Teams webhook URLs (for local testing only).</summary>
    public bool AllowInsecureWebhookUrls { get; set; }

    /// <summary>A JSON file of owners (an array of owner objects with an <c>id</c>) upserted at start-up.</summary>
    public string? OwnersFile { get; set; }

    /// <summary>Per-kind switches by API name (<see cref="AlertKinds"/>); kinds not listed use their default.</summary>
    public Dictionary<string, bool> Alerts { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public SmtpSettings Smtp { get; set; } = new();

    public TeamsSettings Teams { get; set; } = new();

    /// <summary>How the outbox is worked through.</summary>
    public DeliverySettings Delivery { get; set; } = new();

    /// <summary>The in-process resilience pipeline each channel's sends go through.</summary>
    public ResilienceSettings Resilience { get; set; } = new();

    public DigestSettings Digest { get; set; } = new();

    public bool IsEnabled(string kind) =>
        Alerts.TryGetValue(kind, out var on) ? on : AlertKinds.OnByDefault.Contains(kind);
}
