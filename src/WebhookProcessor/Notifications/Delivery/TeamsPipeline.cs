using System.Text;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Notifications;

/// <summary>
/// The Teams channel's resilience pipeline, run by Microsoft.Extensions.Http.Resilience inside the
/// Teams <see cref="HttpClient"/>: round timeout → retry → circuit breaker → attempt timeout, so the
/// breaker counts every attempt, an open breaker ends the round at once, and each attempt is timed on
/// its own. The library's retry waits as long as a <c>Retry-After</c> header asks; the library's
/// predicates decide what is transient (408, 429, 5xx, no connection, no answer).
/// </summary>
/// <remarks>
/// <para>
/// One pipeline instance per destination (<see cref="DestinationKey"/>: the URL without its query), so
/// one owner's dead workflow pauses alerts to that URL only; keying by host would let one broken flow
/// on a shared Logic Apps host (prod-NN.region.logic.azure.com) pause every owner there.
/// </para>
/// <para>
/// The library keeps each keyed instance until the process ends (there is no eviction). That is
/// accepted here: a key is made only by sending to an owner's teamsWebhookUrl, which an operator
/// saves through the ops API (X-Api-Key) and which must pass the host allow-list, and an alert is sent
/// only when a template changes; the number of keys is the number of distinct Teams URLs alerted since
/// the process started, a few per owner. One instance holds about 4 KB (measured: 10,000 distinct
/// URLs added 37 MB), so even a thousand owners' URLs changed ten times cost some 40 MB before a
/// restart. Bounding it would mean a pipeline layer of our own beside the library's, which is what
/// this replaced.
/// </para>
/// </remarks>
public static class TeamsPipeline
{
    /// <summary>The name of the Teams <see cref="HttpClient"/> in <see cref="IHttpClientFactory"/>.</summary>
    public const string ClientName = "teams-workflows";

    /// <summary>How many retries the round has made so far, written by the retry strategy for the sender's messages.</summary>
    public static readonly HttpRequestOptionsKey<int> Retries = new("WebhookProcessor.Teams.Retries");

    /// <summary>
    /// The destination's key: its host and a fingerprint of its scheme, host, port and path, never the URL
    /// itself. The key names the pipeline instance in Polly's logs and metrics (<c>pipeline.instance</c>),
    /// and neither may hold an owner's workflow URL; the query (<c>sig</c>, the credential) never counts.
    /// </summary>
    public static string DestinationKey(HttpRequestMessage request)
    {
        var redacted = WebhookUrls.Redact(request.RequestUri?.OriginalString);
        var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(redacted));
        return $"{WebhookUrls.HostOf(redacted)}#{Convert.ToHexStringLower(hash.AsSpan(0, 6))}";
    }

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceSettings settings, TimeProvider timeProvider)
    {
        // The whole round must end before the outbox's claim on the alert runs out (AlertDispatcher).
        // Polly takes at most a day.
        var round = settings.LongestRound() < TimeSpan.FromDays(1) ? settings.LongestRound() : TimeSpan.FromDays(1);
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "round-timeout", Timeout = round });

        // Polly's retry needs at least one attempt; 0 (Notifications:Resilience:MaxRetryAttempts) means none.
        if (settings.MaxRetryAttempts > 0)
        {
            var retry = new HttpRetryStrategyOptions
            {
                ShouldRetryAfterHeader = true,
                // A Retry-After longer than the round may wait ends the round; the outbox reschedules the alert.
                ShouldHandle = args => ValueTask.FromResult(
                    IsTransient(args.Outcome) && !(AskedToWait(args.Outcome.Result, timeProvider) > settings.MaxRetryAfter)),
                OnRetry = args =>
                {
                    args.Context.GetRequestMessage()?.Options.Set(Retries, args.AttemptNumber + 1);
                    return ValueTask.CompletedTask;
                },
            };
            settings.ApplyBackoff(retry);
            builder.AddRetry(retry);
        }

        builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = settings.FailureRatio,
            MinimumThroughput = settings.MinimumThroughput,
            SamplingDuration = settings.SamplingDuration,
            BreakDuration = settings.BreakDuration,
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
        });
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "attempt-timeout", Timeout = settings.AttemptTimeout });
    }

    /// <summary>
    /// The library's notion of transient, less a refused address: that one is permanent (the URL must
    /// change) and must neither be retried nor pause the destination.
    /// </summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is not HttpRequestException { InnerException: RefusedDestinationException }
        && HttpClientResiliencePredicates.IsTransient(outcome);

    /// <summary>The wait a response's <c>Retry-After</c> asks for, if it has a readable one.</summary>
    public static TimeSpan? AskedToWait(HttpResponseMessage? response, TimeProvider timeProvider) =>
        response is null ? null : RetryAfterHeader.ToDelay(response.Headers.RetryAfter, timeProvider.GetUtcNow());
}
