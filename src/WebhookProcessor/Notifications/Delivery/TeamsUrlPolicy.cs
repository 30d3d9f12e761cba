using System.Net;

namespace WebhookProcessor.Notifications;

/// <summary>
/// Which Teams webhook URLs this service may post to. A Teams Workflows URL is an https URL on a
/// Microsoft host (<see cref="TeamsSettings.DefaultAllowedHosts"/>); anything else would let
/// whoever edits an owner make the service connect to a host of their choosing (an internal service,
/// a cloud metadata endpoint). The same rules are checked when an owner is saved and again before
/// each send (owners saved before a rule changed). <see cref="NotificationOptions.AllowInsecureWebhookUrls"/>
/// turns the checks off for local tests and fakes, which listen on plain http on loopback.
/// </summary>
public sealed class TeamsUrlPolicy
{
    private const string NotAWorkflowsUrl =
        "teamsWebhookUrl must be the https URL of a Teams Workflows webhook (Workflows > 'Post to a channel when a webhook request is received').";

    private readonly string[] _allowedHosts;

    public TeamsUrlPolicy(bool allowInsecure, IReadOnlyList<string>? allowedHosts = null)
    {
        AllowInsecure = allowInsecure;
        _allowedHosts = [.. (allowedHosts is { Count: > 0 } ? allowedHosts : TeamsSettings.DefaultAllowedHosts)
            .Where(h => !string.IsNullOrWhiteSpace(h))
            .Select(h => h.Trim().TrimEnd('.').ToLowerInvariant())];
    }

    public static TeamsUrlPolicy From(NotificationOptions options) =>
        new(options.AllowInsecureWebhookUrls, options.Teams.AllowedHosts);

    public bool AllowInsecure { get; }

    public IReadOnlyList<string> AllowedHosts => _allowedHosts;

    /// <summary>What is wrong with <paramref name="url"/>, in words the owner can act on; null when it may be used.</summary>
    public string? Check(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Check(uri) : NotAWorkflowsUrl;

    public string? Check(Uri uri)
    {
        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            return NotAWorkflowsUrl;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "teamsWebhookUrl must not contain a user name or password.";
        }

        if (AllowInsecure)
        {
            return null;
        }

        if (uri.Scheme == Uri.UriSchemeHttp)
        {
            return "teamsWebhookUrl must use https; plain http is accepted only when Notifications:AllowInsecureWebhookUrls is true (local testing).";
        }

        // System.Uri has already turned numeric forms (2130706433, 0x7f000001, 0177.0.0.1) into dotted
        // IPv4, so they are caught here as addresses too. A Workflows URL always names its host.
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out _))
        {
            return "teamsWebhookUrl must name a Teams Workflows host, not an IP address.";
        }

        if (!IsAllowedHost(uri.IdnHost))
        {
            return $"teamsWebhookUrl's host '{uri.IdnHost}' is not a Teams Workflows host; copy the URL from the workflow's trigger (hosts allowed: {string.Join(", ", _allowedHosts)}; set Notifications:Teams:AllowedHosts to change them).";
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="host"/> matches an entry: <c>*.example.com</c> matches any name that
    /// ends in <c>.example.com</c> (not <c>example.com</c> itself); any other entry matches only
    /// itself. Case and a trailing dot do not matter.
    /// </summary>
    public bool IsAllowedHost(string host)
    {
        var name = host.Trim().TrimEnd('.').ToLowerInvariant();
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var pattern in _allowedHosts)
        {
            if (pattern.StartsWith("*.", StringComparison.Ordinal)
                ? name.Length > pattern.Length - 1 && name.EndsWith(pattern[1..], StringComparison.Ordinal)
                : name == pattern)
            {
                return true;
            }
        }

        return false;
    }
}
