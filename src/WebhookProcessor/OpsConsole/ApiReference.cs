using Scalar.AspNetCore;
using WebhookProcessor.Ops;

namespace WebhookProcessor.OpsConsole;

/// <summary>
/// The API reference page at <c>/console/api</c>: Scalar's viewer over <c>/openapi/v1.json</c>, for signed-in
/// console users. Its script comes from the Scalar.AspNetCore package itself (served by the app under
/// <c>/console/api/</c>), never from a CDN, and it is told not to fetch fonts, send telemetry or offer its
/// hosted AI and MCP features, so the page loads nothing from another site.
/// </summary>
public static class ApiReference
{
    public const string Path = ConsoleRegistration.BasePath + "/api";

    /// <summary>
    /// The console's policy with two relaxations for this route only: Scalar's page starts itself with an
    /// inline module script, allowed by a fresh nonce per response; and its components set styles at run
    /// time (style elements and attributes), which CSP can only allow as <c>'unsafe-inline'</c> styles.
    /// Inline script stays forbidden, and nothing may be loaded from or sent to another site.
    /// </summary>
    public static string ContentSecurityPolicy(string nonce) =>
        $"default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "connect-src 'self'; font-src 'self' data:; worker-src 'self' blob:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static WebApplication MapApiReference(this WebApplication app)
    {
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(Path),
            reference => reference.Use(static (context, next) =>
            {
                context.Response.OnStarting(static state =>
                {
                    var http = (HttpContext)state;
                    // Only Scalar's page has a nonce; a redirect to sign-in or an asset keeps the strict policy.
                    if (http.Items.TryGetValue(ScalarOptions.NonceHttpContextItemKey, out var value) && value is string nonce)
                    {
                        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce);
                    }

                    return Task.CompletedTask;
                }, context);
                return next(context);
            }));
        app.MapScalarApiReference(Path, static (options, context) =>
        {
            options.WithTitle("WebhookProcessor ops API")
                // Scalar's script adds the path base it sees in the page's URL, so on Functions this becomes /api/openapi/v1.json.
                .WithOpenApiRoutePattern(OpenApiRegistration.Route.Replace(OpenApiRegistration.DocumentName, "{documentName}", StringComparison.Ordinal))
                .AddDocument(OpenApiRegistration.DocumentName)
                .WithNonce()
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .HideDeveloperTools()
                // Its "open in API client" button points at Scalar's hosted client, another site.
                .HideClientButton()
                .ExpandAllTags()
                .WithFavicon(ConsoleAssets.Url(context.Request, "favicon.svg"));
        }).RequireAuthorization(ConsoleAuth.ReadPolicy);
        return app;
    }
}
