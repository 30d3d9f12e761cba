using System.Diagnostics;

namespace WebhookProcessor.Telemetry;

/// <summary>
/// What an outgoing HTTP span says about its URL. The instrumentation records <c>url.full</c>; here it
/// loses its query everywhere (a Teams Workflows URL's <c>sig</c> is its credential, Graph paging
/// cursors are noise), and a request marked <see cref="HidePath"/> (a Teams alert, whose path names an
/// owner's workflow) keeps only scheme and host.
/// </summary>
public static class OutgoingUrls
{
    /// <summary>Set on a request whose URL path must not reach telemetry.</summary>
    public static readonly HttpRequestOptionsKey<bool> HidePath = new("WebhookProcessor.Telemetry.HidePath");

    public static void Enrich(Activity activity, HttpRequestMessage request)
    {
        if (request.RequestUri is not { IsAbsoluteUri: true } url)
        {
            return;
        }

        var hidePath = request.Options.TryGetValue(HidePath, out var hide) && hide;
        activity.SetTag("url.full", Shown(url, hidePath));
    }

    /// <summary>Scheme, host, port and (unless hidden) path: never user information, query or fragment.</summary>
    public static string Shown(Uri url, bool hidePath) =>
        $"{url.Scheme}://{url.Authority}{(hidePath ? "/" : url.AbsolutePath)}";
}
