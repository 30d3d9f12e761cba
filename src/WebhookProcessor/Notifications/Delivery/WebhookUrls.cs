namespace WebhookProcessor.Notifications;

/// <summary>
/// Teams Workflows URLs carry their credential in the query (<c>sig=…</c>). Anything that shows such a
/// URL to a person (exception messages, logs, API answers) goes through <see cref="Redact"/>.
/// </summary>
public static class WebhookUrls
{
    private const string Unreadable = "(unreadable URL)";

    /// <summary>
    /// Scheme, host, port (when not the default) and path of an http(s) URL; never the user info, query
    /// or fragment. Anything else is shown as "(unreadable URL)".
    /// </summary>
    public static string Redact(string? url)
    {
        // An unparseable string may still hold the secret, so none of it is shown.
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return Unreadable;
        }

        return uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
    }

    /// <summary>Only the host of a URL (or "?"), where even its path is more than a page needs to show.</summary>
    public static string HostOf(string url) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Host : "?";
}
