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

public sealed class SmtpSettings
{
    /// <summary>No host: e-mail alerts fail visibly with a message saying so, and can be re-sent once it is set.</summary>
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? From { get; set; }
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public bool UseStartTls { get; set; } = true;
}

public sealed class TeamsSettings
{
    /// <summary>The hosts Teams Workflows webhook URLs are on today (Logic Apps and Power Platform).</summary>
    public static readonly IReadOnlyList<string> DefaultAllowedHosts =
    [
        "*.logic.azure.com",
        "*.api.powerplatform.com",
        "*.powerautomate.com",
    ];

    /// <summary>
    /// Hosts a teamsWebhookUrl may name: <c>*.example.com</c> for any name under example.com, or an
    /// exact name. Empty means <see cref="DefaultAllowedHosts"/>. An array, so configuration replaces
    /// the defaults instead of adding to them. Ignored when AllowInsecureWebhookUrls is true.
    /// </summary>
    public string[]? AllowedHosts { get; set; }

    /// <summary>Teams rejects cards above about 28 KB; longer ones are cut before sending.</summary>
    public int MaxPayloadBytes { get; set; } = 27 * 1024;
}

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

public sealed class ResilienceSettings
{
    /// <summary>Retries inside one delivery round (after the first try).</summary>
    public int MaxRetryAttempts { get; set; } = 3;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest <c>Retry-After</c> honoured inside a round; a longer one ends the round and the outbox waits instead.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);
    public double FailureRatio { get; set; } = 0.5;
    public int MinimumThroughput { get; set; } = 4;
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class DigestSettings
{
    /// <summary>Off by default.</summary>
    public bool Enabled { get; set; }

    /// <summary>UTC time of day the digest goes out.</summary>
    public TimeSpan TimeOfDayUtc { get; set; } = TimeSpan.FromHours(13);
}
