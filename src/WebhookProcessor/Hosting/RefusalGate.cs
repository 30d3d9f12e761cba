using WebhookProcessor.Ops;
using WebhookProcessor.Security;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.Hosting;

/// <summary>
/// Answers 429 straight away, before the body is read or anything logged, to a client over its limit of
/// refused requests whose request carries no credential at all. A request that carries one (a signature,
/// an API key, a verify token) goes on to be checked, so Meta's signed deliveries are never refused here;
/// if the credential is wrong, the check answers 429 in place of 401.
/// </summary>
public static class RefusalGate
{
    public static IApplicationBuilder UseRefusalGate(this IApplicationBuilder app)
    {
        var limiter = app.ApplicationServices.GetRequiredService<RefusalLimiter>();
        return app.Use(async (context, next) =>
        {
            // Only the public routes: the Functions host invokes its triggers (outside /api) over loopback,
            // the address that every forwarded caller shares there, and those calls must never be refused.
            if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                && !CarriesCredential(context.Request)
                && limiter.IsLimited(context, out var retryAfter))
            {
                limiter.CountLimited(context);
                await RefusalLimiter.TooManyRequests(context, retryAfter).ExecuteAsync(context);
                return;
            }

            await next(context);
        });
    }

    private static bool CarriesCredential(HttpRequest request) =>
        !string.IsNullOrEmpty(request.Headers[SignatureVerifier.HeaderName])
        || !string.IsNullOrEmpty(request.Headers[ApiKeyFilter.HeaderName])
        || request.Query.ContainsKey("hub.verify_token");
}
