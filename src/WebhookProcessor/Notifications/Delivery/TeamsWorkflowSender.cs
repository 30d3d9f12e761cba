using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace WebhookProcessor.Notifications;

/// <summary>
/// Posts the rendered card to the owner's Teams Workflows webhook. Workflows answers 202 as soon as
/// the flow starts; 429, 408 and 5xx (and no answer) are worth another try; any other status means the
/// URL or the card must be fixed, so the alert fails at once. The URL's query is its credential and is
/// only ever shown through <see cref="WebhookUrls.Redact"/>.
/// </summary>
/// <remarks>
/// Retries, timeouts and the per-URL circuit breakers are the Teams client's own
/// (<see cref="TeamsPipeline"/>, registered by <see cref="AlertChannelRegistration"/>); this class
/// turns how a round ended into the sender contract: success, or an <see cref="AlertDeliveryException"/>.
/// </remarks>
public sealed partial class TeamsWorkflowSender : IAlertSender
{
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<TeamsWorkflowSender> _logger;
    private readonly TeamsUrlPolicy _urlPolicy;

    public TeamsWorkflowSender(
        IHttpClientFactory httpClientFactory,
        IOptions<NotificationOptions> options,
        TimeProvider timeProvider,
        ILogger<TeamsWorkflowSender> logger)
    {
        _httpClientFactory = httpClientFactory;
        _timeProvider = timeProvider;
        _logger = logger;
        _urlPolicy = TeamsUrlPolicy.From(options.Value);
    }

    public AlertChannel Channel => AlertChannel.Teams;

    public async Task SendAsync(OutgoingAlert alert, CancellationToken cancellationToken)
    {
        // Checked before the pipeline: a malformed URL is one owner's problem, not the destination's.
        var url = ParseUrl(alert.Recipient);
        var shown = WebhookUrls.Redact(url.OriginalString);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(alert.Content.TeamsPayload, Encoding.UTF8, "application/json"),
        };

        // The path names the owner's workflow: outgoing-request spans show only the host.
        request.Options.Set(Telemetry.OutgoingUrls.HidePath, true);

        HttpResponseMessage response;
        try
        {
            response = await _httpClientFactory.CreateClient(TeamsPipeline.ClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw Failed(ex, shown, request);
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
            if (TeamsPipeline.IsTransient(Outcome.FromResult(response)))
            {
                var asked = TeamsPipeline.AskedToWait(response, _timeProvider) is { } wait
                    ? $" and asked to wait {wait.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s"
                    : "";
                throw new AlertDeliveryException($"{answered}{asked} ({Attempts(request)} this round)", permanent: false);
            }

            throw new AlertDeliveryException($"{answered}: {WhatToFix(response.StatusCode)}", permanent: true);
        }
    }

    /// <summary>How a round that got no usable answer ended, in words for the alert's lastError.</summary>
    private AlertDeliveryException Failed(Exception ex, string shown, HttpRequestMessage request) => ex switch
    {
        HttpRequestException { InnerException: RefusedDestinationException } => new(
            $"the Teams Workflows URL {shown} is not allowed: its host does not lead to a public Teams Workflows address; copy the URL again from the workflow and update the owner's teamsWebhookUrl",
            permanent: true,
            ex),

        // The same words whatever went wrong (closed port, TLS failure, unknown name): telling them
        // apart would let whoever sets the URL map the network from the alert's lastError.
        HttpRequestException => new($"the Teams Workflows URL {shown} could not be reached ({Attempts(request)} this round)", permanent: false, ex),
        TimeoutRejectedException timeout => new(
            $"Teams: no answer within {timeout.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s ({Attempts(request)} this round)",
            permanent: false,
            ex),
        BrokenCircuitException broken => new(
            $"Teams alerts to {shown} paused after repeated failures; next try after {(_timeProvider.GetUtcNow() + (broken.RetryAfter ?? TimeSpan.Zero)).ToString("u", CultureInfo.InvariantCulture)}",
            permanent: false,
            ex),

        // Only the type: a foreign message could quote the URL with its secret.
        _ => new($"Teams: unexpected {ex.GetType().Name} while sending", permanent: false, ex),
    };

    private static string Attempts(HttpRequestMessage request)
    {
        var count = request.Options.TryGetValue(TeamsPipeline.Retries, out var retries) ? retries + 1 : 1;
        return count == 1 ? "1 attempt" : $"{count} attempts";
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
