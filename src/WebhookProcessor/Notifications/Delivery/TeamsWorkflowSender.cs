using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;

namespace WebhookProcessor.Notifications;

/// <summary>
/// Posts the rendered card to the owner's Teams Workflows webhook. Workflows answers 202 as soon as
/// the flow starts; 429, 408 and 5xx (and no answer) are worth another try; any other status means the
/// URL or the card must be fixed, so the alert fails at once. The URL's query is its credential and is
/// only ever shown through <see cref="WebhookUrls.Redact"/>.
/// </summary>
/// <remarks>Register as a singleton: the circuit breakers (one per URL) live in this instance.</remarks>
public sealed partial class TeamsWorkflowSender : IAlertSender
{
    private readonly HttpClient _httpClient;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<TeamsWorkflowSender> _logger;
    private readonly TeamsUrlPolicy _urlPolicy;
    private readonly ChannelResilience _resilience;

    public TeamsWorkflowSender(
        HttpClient httpClient,
        IOptions<NotificationOptions> options,
        TimeProvider timeProvider,
        ILogger<TeamsWorkflowSender> logger)
    {
        _httpClient = httpClient;
        _timeProvider = timeProvider;
        _logger = logger;
        _urlPolicy = TeamsUrlPolicy.From(options.Value);
        // Teams has no server of its own that every alert goes through: each owner's URL is its own
        // destination, so everything that goes wrong (timeouts too) counts against that URL only.
        _resilience = new ChannelResilience(AlertChannel.Teams, options.Value.Resilience, timeProvider, logger, timeoutScope: FailureScope.Destination);
    }

    public AlertChannel Channel => AlertChannel.Teams;

    public async Task SendAsync(OutgoingAlert alert, CancellationToken cancellationToken)
    {
        // Checked before the pipeline: a malformed URL is one owner's problem, not the channel's.
        var url = ParseUrl(alert.Recipient);
        // The breaker's key is the URL without its query (the sig credential), so it is also safe to show.
        await _resilience.SendAsync(WebhookUrls.Redact(url.OriginalString), token => PostAsync(url, alert, token), cancellationToken);
    }

    private async ValueTask PostAsync(Uri url, OutgoingAlert alert, CancellationToken cancellationToken)
    {
        var shown = WebhookUrls.Redact(url.OriginalString);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(alert.Content.TeamsPayload, Encoding.UTF8, "application/json"),
        };

        HttpResponseMessage response;
        try
        {
            response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.InnerException is RefusedDestinationException)
        {
            throw new AlertDeliveryException(
                $"the Teams Workflows URL {shown} is not allowed: its host does not lead to a public Teams Workflows address; copy the URL again from the workflow and update the owner's teamsWebhookUrl",
                permanent: true,
                ex);
        }
        catch (HttpRequestException ex)
        {
            // The same words whatever went wrong (closed port, TLS failure, unknown name): telling them
            // apart would let whoever sets the URL map the network from the alert's lastError.
            throw new TransientDeliveryException($"the Teams Workflows URL {shown} could not be reached", inner: ex, scope: FailureScope.Destination);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout, not the pipeline's attempt timeout (that one cancels the token).
            throw new TransientDeliveryException($"the Teams Workflows URL {shown} did not answer within the HTTP client's timeout", inner: ex, scope: FailureScope.Destination);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                Log.Accepted(_logger, alert.NotificationId, shown, status);
                return;
            }

            var answered = $"the Teams Workflows URL {shown} answered {status} ({response.ReasonPhrase})";
            if (IsTransient(response.StatusCode))
            {
                var retryAfter = RetryAfterHeader.ToDelay(response.Headers.RetryAfter, _timeProvider.GetUtcNow());
                var asked = retryAfter is { } wait ? $" and asked to wait {wait.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s" : "";
                throw new TransientDeliveryException(answered + asked, retryAfter, scope: FailureScope.Destination);
            }

            throw new AlertDeliveryException($"{answered}: {WhatToFix(response.StatusCode)}", permanent: true);
        }
    }

    private Uri ParseUrl(string recipient)
    {
        if (!Uri.TryCreate(recipient?.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new AlertDeliveryException(
                $"the owner's teamsWebhookUrl ({WebhookUrls.Redact(recipient)}) is not an absolute https URL; copy it again from the Teams workflow",
                permanent: true);
        }

        if (url.Scheme == Uri.UriSchemeHttp && !_urlPolicy.AllowInsecure)
        {
            // The query is the credential: it must not travel in clear text.
            throw new AlertDeliveryException(
                $"the owner's teamsWebhookUrl ({WebhookUrls.Redact(recipient)}) is plain http; Teams Workflows URLs are https (Notifications:AllowInsecureWebhookUrls is for local tests only)",
                permanent: true);
        }

        // Owners saved before the host rules (or before Notifications:Teams:AllowedHosts changed) are checked again here.
        if (_urlPolicy.Check(url) is { } problem)
        {
            throw new AlertDeliveryException($"the owner's teamsWebhookUrl ({WebhookUrls.Redact(recipient)}) is not allowed: {problem}", permanent: true);
        }

        return url;
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static string WhatToFix(HttpStatusCode status) => status switch
    {
        >= HttpStatusCode.MultipleChoices and < HttpStatusCode.BadRequest =>
            "the URL redirects elsewhere and redirects are not followed; copy the URL again from the workflow's trigger and update the owner's teamsWebhookUrl",
        HttpStatusCode.NotFound or HttpStatusCode.Gone =>
            "the workflow was deleted or the URL is wrong; update the owner's teamsWebhookUrl",
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
            "the URL's signature is no longer valid or the workflow only accepts signed-in users; create a new workflow URL (who can trigger: Anyone) and update the owner's teamsWebhookUrl",
        HttpStatusCode.RequestEntityTooLarge =>
            "the card is larger than Teams accepts (about 28 KB); lower Notifications:Teams:MaxPayloadBytes",
        HttpStatusCode.BadRequest or HttpStatusCode.UnsupportedMediaType or HttpStatusCode.UnprocessableEntity =>
            "the workflow refused the card; check the flow's run history and that the workflow is 'Post to a channel when a webhook request is received'",
        _ => "trying again will not help; check the owner's teamsWebhookUrl and the workflow",
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 7111, Level = LogLevel.Debug, Message = "Teams alert {NotificationId} accepted by {Url} ({Status})")]
        public static partial void Accepted(ILogger logger, string notificationId, string url, int status);
    }
}
