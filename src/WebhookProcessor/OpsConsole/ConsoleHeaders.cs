namespace WebhookProcessor.OpsConsole;

/// <summary>
/// The console's security headers: a Content-Security-Policy that allows nothing but the app's own
/// files (no inline script or style, no other site, no framing), no referrer, and no caching of pages
/// that show operational data.
/// </summary>
public static class ConsoleHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IApplicationBuilder UseConsoleHeaders(this IApplicationBuilder app) =>
        app.Use(static (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            // Pages show operational data: never cached. Assets set their own caching.
            headers.CacheControl = "no-store";
            return next(context);
        });
}
