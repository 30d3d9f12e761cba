using Microsoft.Extensions.Http.Resilience;
using Polly;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Reconciliation;

/// <summary>
/// The Graph API client's resilience pipeline (Microsoft.Extensions.Http.Resilience): retry → attempt
/// timeout. Retried: what the library calls transient (408, 429, 5xx, no connection, no answer in
/// time), with exponential backoff and jitter, waiting as long as a <c>Retry-After</c> asks up to
/// <see cref="MaxRetryAfter"/>. Never retried: 4xx answers, so a bad token (190, 401/403) or Meta's
/// throttling codes sent with HTTP 400 (4, 17, 32, 613, 80007) surface at once, and a run can move on
/// to other accounts instead of spending its budget.
/// </summary>
/// <remarks>
/// No circuit breaker: calls are sequential per account and bounded by <see cref="GraphCallBudget"/>,
/// and a run that finds Meta down ends that account's turn with a <see cref="GraphApiErrorKind.Transient"/>
/// error, which is the breaker's job done by the caller.
/// </remarks>
public static class GraphApiPipeline
{
    /// <summary>A longer <c>Retry-After</c> ends the call as throttled; the budget then holds the account that long.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);

    /// <param name="budget">Counts each retry against the account's budget as well: Meta counts every request it receives.</param>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, GraphApiOptions options, TimeProvider timeProvider, GraphCallBudget? budget = null)
    {
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(
                    HttpClientResiliencePredicates.IsTransient(args.Outcome)
                    && !(AskedToWait(args.Outcome.Result, timeProvider) > MaxRetryAfter)),
                OnRetry = args =>
                {
                    if (budget is not null
                        && args.Context.GetRequestMessage() is { } request
                        && request.Options.TryGetValue(GraphCallBudget.AccountOption, out var wabaId))
                    {
                        budget.CountRetry(wabaId);
                    }

                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "graph-attempt-timeout", Timeout = options.AttemptTimeout });
    }

    private static TimeSpan? AskedToWait(HttpResponseMessage? response, TimeProvider timeProvider) =>
        response is null ? null : RetryAfterHeader.ToDelay(response.Headers.RetryAfter, timeProvider.GetUtcNow());
}
