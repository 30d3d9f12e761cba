namespace WebhookProcessor.Notifications;

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
