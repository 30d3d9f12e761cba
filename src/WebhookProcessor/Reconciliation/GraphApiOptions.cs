namespace WebhookProcessor.Reconciliation;

/// <summary>
/// Settings under <c>Meta:GraphApi</c>: how the service calls Meta's Graph API to list an account's
/// templates. Without an access token the Graph API is not called at all (<see cref="IsConfigured"/>).
/// </summary>
/// <remarks>
/// The class keeps the default <see cref="object.ToString"/> on purpose: a generated one (a record's)
/// would print the token.
/// </remarks>
public sealed class GraphApiOptions
{
    public const string SectionName = "Meta:GraphApi";

    public const string DefaultBaseUrl = "https://graph.facebook.com";

    public const string DefaultVersion = "v23.0";

    /// <summary>Meta's documented floor for the management API: calls an hour per app and account without a registered number.</summary>
    public const int DefaultCallsPerHourPerAccount = 200;

    /// <summary>A system-user token with <c>whatsapp_business_management</c>. A secret: sent as a bearer header, never logged.</summary>
    public string? AccessToken { get; init; }

    /// <summary>https, or http to a loopback address (tests and local fakes).</summary>
    public string BaseUrl { get; init; } = DefaultBaseUrl;

    /// <summary>The Graph API version in every path, e.g. <c>v23.0</c>.</summary>
    public string Version { get; init; } = DefaultVersion;

    /// <summary>Calls this service makes per account in any rolling hour; the rest wait their turn.</summary>
    public int CallsPerHourPerAccount { get; init; } = DefaultCallsPerHourPerAccount;

    /// <summary>Templates asked for per page (<c>limit=</c>). Meta documents no maximum for this edge; 100 keeps a page small.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>How long one attempt may take before it counts as failed (and is retried).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of a 5xx, 429, timeout or network failure; 0 means none.</summary>
    public int MaxRetryAttempts { get; init; } = 3;

    /// <summary>The first retry's wait; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Whether the Graph API may be called at all: a token is set.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(AccessToken);

    /// <summary>The base URL as a URI ending in a slash, so relative paths append to it.</summary>
    public Uri BaseUri() => new(BaseUrl.EndsWith('/') ? BaseUrl : BaseUrl + "/", UriKind.Absolute);
}
