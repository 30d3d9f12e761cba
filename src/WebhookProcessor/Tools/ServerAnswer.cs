using System.Net;
using System.Text.Json;

namespace WebhookProcessor.Tools;

/// <summary>
/// Says which server answered a command-line tool's request and what the user can do about a refusal.
/// A default URL may reach some other program on that port, so the reply names the server before it
/// explains anything, and the advice never repeats a secret.
/// </summary>
public static class ServerAnswer
{
    public const string StartCommand = "dotnet run --project src/WebhookProcessor";

    /// <summary><c>answered by http://host:port (Server: X)</c>, from the response's own headers.</summary>
    public static string Describe(Uri url, HttpResponseMessage response)
    {
        var server = response.Headers.Server.Count > 0 ? response.Headers.Server.ToString() : null;
        return $"answered by {url.GetLeftPart(UriPartial.Authority)} ({(server is null ? "no Server header" : "Server: " + server)})";
    }

    /// <summary>
    /// WebhookProcessor answers errors as problem details with a title (and sends no Server header);
    /// a reply without one came from something else, or from a proxy in front of it.
    /// </summary>
    public static bool LooksLikeWebhookProcessor(HttpResponseMessage response, string body)
    {
        if (response.Headers.Server.Count > 0 || !(response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("title", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>What to try after a webhook post was refused; null when the status needs no advice.</summary>
    public static string? WebhookAdvice(HttpStatusCode status, bool ours, string secretSource) => (int)status switch
    {
        401 when ours => $"WebhookProcessor refused the signature: the secret ({secretSource}) is not one of the app's Meta:AppSecrets. Pass the app's secret with --secret or META_APP_SECRET.",
        401 => $"The server refused the request, and it does not look like WebhookProcessor. Is WebhookProcessor running there? Start it with `{StartCommand}` (http://localhost:5080 in Development) or pass --url. If it is, is the secret ({secretSource}) the app's Meta:AppSecrets:0?",
        403 => "Forbidden: on Azure Functions the webhook function must be anonymous (functions/IngestWebhook); otherwise an access restriction or proxy in front of the app refused the request.",
        404 => $"Nothing is mapped at this path: the webhook route is {Webhooks.WebhookEndpoints.Route}. Is this WebhookProcessor? Start it with `{StartCommand}` or pass the right --url.",
        413 => "The body is over the app's Meta:MaxBodyBytes.",
        429 => "Too many refused requests from this address: fix the secret, then wait a minute before trying again.",
        >= 500 => "The app could not store the webhook; its log says why (and /healthz shows whether the queue and store can be read).",
        _ => null,
    };

    /// <summary>What to try when no HTTP answer came back at all.</summary>
    public static string ConnectionAdvice(Uri url, HttpRequestException exception) => exception.HttpRequestError switch
    {
        HttpRequestError.ConnectionError => $"Nothing answered at {url.GetLeftPart(UriPartial.Authority)}. Is WebhookProcessor running? Start it with `{StartCommand}` (it listens on http://localhost:5080 in Development), or pass --url.",
        HttpRequestError.NameResolutionError => $"The host name {url.Host} does not resolve: check the URL (on Azure, the function app's default host name).",
        HttpRequestError.SecureConnectionError => $"The TLS handshake with {url.Host} failed: check the scheme and the certificate.",
        _ => $"The request to {url.GetLeftPart(UriPartial.Authority)} failed before an answer: {exception.Message}",
    };
}
