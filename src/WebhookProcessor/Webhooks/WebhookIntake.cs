using System.Diagnostics;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WebhookProcessor.Meta;
using WebhookProcessor.Queue;
using WebhookProcessor.Security;
using WebhookProcessor.Telemetry;

namespace WebhookProcessor.Webhooks;

/// <summary>What the webhook endpoint does: Meta's handshake, and accept-durably-then-answer for POSTs.</summary>
public sealed class WebhookIntake(
    SignatureVerifier verifier,
    IEventQueue queue,
    TimeProvider clock,
    IOptions<MetaOptions> options,
    RefusalLimiter limiter,
    WebhookMetrics metrics,
    ILogger<WebhookIntake> logger)
{
    /// <summary>The span of the durable enqueue; its context travels with every queued change.</summary>
    public const string EnqueueSpan = "enqueue webhook-changes";

    private readonly MetaOptions _options = options.Value;

    /// <summary>Meta's subscription handshake: echo <c>hub.challenge</c> verbatim when the verify token matches.</summary>
    public Results<ContentHttpResult, ProblemHttpResult> Verify(HttpContext context)
    {
        var query = context.Request.Query;
        string? mode = query["hub.mode"];
        string? challenge = query["hub.challenge"];
        var tokenMatches = SecretComparer.MatchesAny(query["hub.verify_token"], [_options.VerifyToken ?? string.Empty]);
        if (mode == "subscribe" && tokenMatches && !string.IsNullOrEmpty(challenge))
        {
            return TypedResults.Text(challenge, "text/plain");
        }

        if (limiter.Refuse(context, client => Log.VerificationRefused(logger, LogText.Clean(mode), client)) is { } tooMany)
        {
            return tooMany;
        }

        return TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Subscription verification refused",
            detail: "hub.mode must be 'subscribe', hub.challenge must be present and hub.verify_token must equal Meta:VerifyToken.");
    }

    /// <summary>
    /// Reads the body within the size limit, checks its signature, and answers 200 only once every
    /// change (or, for what cannot be understood, a dead letter) is durably stored.
    /// </summary>
    public async Task<Results<Ok, ProblemHttpResult>> ReceiveAsync(HttpContext context)
    {
        var limit = _options.MaxBodyBytes;
        var receivedAt = clock.GetUtcNow();
        BoundedBody? body;
        try
        {
            body = await BoundedBody.ReadAsync(context, limit);
        }
        catch (BadHttpRequestException ex)
        {
            // The client's fault (a bad chunk, a body slower than Kestrel's minimum rate, a body shorter than
            // its Content-Length): Kestrel says which status it deserves. Nothing was accepted, so Meta retries.
            Log.BodyUnreadable(logger, ex.StatusCode, LogText.Clean(ex.Message), RefusalLimiter.ClientOf(context));
            Outcome(context, WebhookOutcomes.BadRequest);
            return TypedResults.Problem(
                statusCode: ex.StatusCode,
                title: "Request body unreadable",
                detail: LogText.Clean(ex.Message));
        }
        catch (Exception ex) when (ex is ConnectionResetException || (ex is IOException or OperationCanceledException && context.RequestAborted.IsCancellationRequested))
        {
            // The client hung up mid-body: there is no one left to answer, and nothing was accepted.
            Log.ClientGone(logger, ex.GetType().Name, RefusalLimiter.ClientOf(context));
            Outcome(context, WebhookOutcomes.BadRequest);
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Connection closed while reading the body");
        }

        if (body is null)
        {
            Log.BodyTooLarge(logger, limit);
            Outcome(context, WebhookOutcomes.TooLarge);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Body too large",
                detail: $"Webhook bodies are limited to {limit} bytes.");
        }

        IngestBatch batch;
        using (body)
        {
            var signature = verifier.Verify(context.Request.Headers[SignatureVerifier.HeaderName], body.Value.Span);
            if (signature != SignatureCheck.Valid)
            {
                Outcome(context, WebhookOutcomes.BadSignature);
                if (limiter.Refuse(context, client => Log.SignatureRejected(logger, signature, client)) is { } tooMany)
                {
                    return tooMany;
                }

                return TypedResults.Problem(
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "Invalid signature",
                    detail: $"The {SignatureVerifier.HeaderName} header is {signature.ToString().ToLowerInvariant()}: it must be 'sha256=' followed by the hex HMAC-SHA256 of the raw body, keyed with a configured Meta app secret.");
            }

            try
            {
                batch = EnvelopeReader.Read(body.Value.Memory, receivedAt);
            }
            catch (BodyTooDeepException ex)
            {
                // Refused rather than dead-lettered: nothing this deep could be processed, and the sender
                // learns it at once.
                Log.BodyTooDeep(logger, JsonLimits.MaxDepth);
                Outcome(context, WebhookOutcomes.BadRequest);
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Body nested too deeply",
                    detail: ex.Message);
            }
        }

        if (batch.DeadLetters.Count > 0)
        {
            Log.IntakeDeadLetters(logger, batch.DeadLetters.Count, LogText.Clean(batch.DeadLetters[0].Reason)!);
        }

        using var span = StartEnqueueSpan(context, batch);
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Not cancellable: once the body is read, storing it must not depend on the caller waiting.
            await queue.EnqueueAsync(batch.WithTraceParent(WebhookActivities.TraceParentOf(span)), CancellationToken.None);
            metrics.IngestCommitted(Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex)
        {
            Log.EnqueueFailed(logger, ex);
            WebhookActivities.Fail(span, ex);
            Outcome(context, WebhookOutcomes.NotStored);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status500InternalServerError,
                title: "Not stored",
                detail: "The webhook could not be stored durably; it was not accepted and may be sent again.");
        }

        Outcome(context, batch.DeadLetters.Count > 0 ? WebhookOutcomes.DeadLetter : WebhookOutcomes.Accepted);
        return TypedResults.Ok();
    }

    /// <summary>Counts the webhook's outcome and names it on the request's span.</summary>
    private void Outcome(HttpContext context, string outcome)
    {
        metrics.Webhook(outcome);
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpActivityFeature>()?.Activity.SetTag(TelemetryTags.WebhookOutcome, outcome);
    }

    /// <summary>
    /// The producer span of the durable enqueue, with what the webhook holds: the account, field and event
    /// id of each change (as lists when there are several). Never its body or signature.
    /// </summary>
    private static Activity? StartEnqueueSpan(HttpContext context, IngestBatch batch)
    {
        var span = IncomingTrace.Start(context, EnqueueSpan, ActivityKind.Producer);
        if (span is not { IsAllDataRequested: true })
        {
            return span;
        }

        span.SetTag(TelemetryTags.MessagingOperationType, "send");
        span.SetTag(TelemetryTags.MessagingBatchCount, batch.Changes.Count);
        if (batch.DeadLetters.Count > 0)
        {
            span.SetTag(TelemetryTags.DeadLetterCount, batch.DeadLetters.Count);
        }

        if (batch.Changes.Count == 1)
        {
            var change = batch.Changes[0];
            span.SetTag(TelemetryTags.WabaId, change.WabaId);
            span.SetTag(TelemetryTags.Field, change.Field);
            span.SetTag(TelemetryTags.EventId, change.EventId);
        }
        else if (batch.Changes.Count > 1)
        {
            span.SetTag(TelemetryTags.WabaId, batch.Changes.Select(c => c.WabaId).Distinct(StringComparer.Ordinal).ToArray());
            span.SetTag(TelemetryTags.Field, batch.Changes.Select(c => c.Field).Distinct(StringComparer.Ordinal).ToArray());
            span.SetTag(TelemetryTags.EventId, batch.Changes.Select(c => c.EventId).ToArray());
        }

        return span;
    }
}
