using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WebhookProcessor.Hosting;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Webhooks;

/// <summary>What the webhook endpoint does: Meta's handshake, and accept-durably-then-answer for POSTs.</summary>
public sealed class WebhookIntake(
    SignatureVerifier verifier,
    IEventQueue queue,
    TimeProvider clock,
    IOptions<MetaOptions> options,
    ILogger<WebhookIntake> logger)
{
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

        Log.VerificationRefused(logger, mode);
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
        var body = await BoundedBody.ReadAsync(context, limit);
        if (body is null)
        {
            Log.BodyTooLarge(logger, limit);
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
                Log.SignatureRejected(logger, signature, context.Connection.RemoteIpAddress?.ToString());
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "Invalid signature",
                    detail: $"The {SignatureVerifier.HeaderName} header is {signature.ToString().ToLowerInvariant()}: it must be 'sha256=' followed by the hex HMAC-SHA256 of the raw body, keyed with a configured Meta app secret.");
            }

            batch = EnvelopeReader.Read(body.Value.Memory, receivedAt);
        }

        if (batch.DeadLetters.Count > 0)
        {
            Log.IntakeDeadLetters(logger, batch.DeadLetters.Count, batch.DeadLetters[0].Reason);
        }

        try
        {
            // Not cancellable: once the body is read, storing it must not depend on the caller waiting.
            await queue.EnqueueAsync(batch, CancellationToken.None);
        }
        catch (Exception ex)
        {
            Log.EnqueueFailed(logger, ex);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status500InternalServerError,
                title: "Not stored",
                detail: "The webhook could not be stored durably; it was not accepted and may be sent again.");
        }

        return TypedResults.Ok();
    }
}
