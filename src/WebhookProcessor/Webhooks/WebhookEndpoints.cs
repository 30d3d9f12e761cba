using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WebhookProcessor.Hosting;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Webhooks;

public static class WebhookEndpoints
{
    public const string Route = "/api/webhooks/whatsapp";

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(Route, Verify).WithName("VerifySubscription");
        app.MapPost(Route, ReceiveAsync).WithName("ReceiveWebhook");
        return app;
    }

    /// <summary>Meta's subscription handshake: echo <c>hub.challenge</c> verbatim when the verify token matches.</summary>
    internal static Results<ContentHttpResult, ProblemHttpResult> Verify(HttpContext context, IOptions<MetaOptions> options, ILoggerFactory loggers)
    {
        var query = context.Request.Query;
        string? mode = query["hub.mode"];
        string? challenge = query["hub.challenge"];
        var tokenMatches = SecretComparer.MatchesAny(query["hub.verify_token"], [options.Value.VerifyToken ?? string.Empty]);
        if (mode == "subscribe" && tokenMatches && !string.IsNullOrEmpty(challenge))
        {
            return TypedResults.Text(challenge, "text/plain");
        }

        Log.VerificationRefused(loggers.CreateLogger(typeof(WebhookEndpoints)), mode);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Subscription verification refused",
            detail: "hub.mode must be 'subscribe', hub.challenge must be present and hub.verify_token must equal Meta:VerifyToken.");
    }

    /// <summary>
    /// Reads the body within the size limit, checks its signature, and answers 200 only once every
    /// change (or, for what cannot be understood, a dead letter) is durably stored.
    /// </summary>
    internal static async Task<Results<Ok, ProblemHttpResult>> ReceiveAsync(
        HttpContext context,
        SignatureVerifier verifier,
        IEventQueue queue,
        TimeProvider clock,
        IOptions<MetaOptions> options,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(WebhookEndpoints));
        var limit = options.Value.MaxBodyBytes;
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

        try
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

            var batch = EnvelopeReader.Read(body.Value.Memory, receivedAt);
            if (batch.DeadLetters.Count > 0)
            {
                Log.IntakeDeadLetters(logger, batch.DeadLetters.Count, batch.DeadLetters[0].Reason);
            }

            try
            {
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
        finally
        {
            body.Value.Dispose();
        }
    }
}

/// <summary>A request body read into a pooled buffer, never beyond the limit.</summary>
internal readonly struct BoundedBody(byte[] buffer, int length) : IDisposable
{
    public ReadOnlyMemory<byte> Memory => buffer.AsMemory(0, length);

    public ReadOnlySpan<byte> Span => buffer.AsSpan(0, length);

    /// <summary>Returns null when the body exceeds <paramref name="limit"/>; stops reading as soon as it does.</summary>
    public static async Task<BoundedBody?> ReadAsync(HttpContext context, int limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(context.Request.ContentLength ?? 16 * 1024, limit) + 1);
        var length = 0;
        try
        {
            var stream = context.Request.Body;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return null;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), context.RequestAborted);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return null;
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return null;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        return new BoundedBody(buffer, length);
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);
}
