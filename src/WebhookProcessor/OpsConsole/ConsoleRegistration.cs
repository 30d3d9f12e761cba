using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.WebEncoders;
using Microsoft.Extensions.Options;
using WebhookProcessor.Ops;

namespace WebhookProcessor.OpsConsole;

/// <summary>
/// The ops console at <c>/console</c>: Razor Pages rendered on the server over the same services as the
/// ops API, a cookie session opened with an ops API key, antiforgery on every POST, and its own strict
/// security headers. Its styles and script are files of the app (<c>wwwroot/console</c>).
/// </summary>
public static class ConsoleRegistration
{
    public const string BasePath = "/console";

    public static WebApplicationBuilder AddOpsConsole(this WebApplicationBuilder builder)
    {
        // Spanish text as text, not as numeric character references.
        builder.Services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddRazorPages(options =>
        {
            options.RootDirectory = "/OpsConsole/Pages";
            options.Conventions.AuthorizeFolder("/", ConsoleAuth.ReadPolicy);
            options.Conventions.AllowAnonymousToPage("/SignIn");
        })
        // Named explicitly: under a test host or the Functions host the entry assembly is not this one.
        .AddApplicationPart(typeof(ConsoleRegistration).Assembly);
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "console-csrf";
            // "/" rather than /console: on Functions the console sits under /api/console.
            options.Cookie.Path = "/";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.FormFieldName = "__csrf";
        });
        builder.Services.AddAuthentication(ConsoleAuth.Scheme)
            .AddCookie(ConsoleAuth.Scheme, options =>
            {
                options.Cookie.Name = "console-session";
                options.Cookie.Path = "/";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                // Secure whenever the request came over https (behind TLS in production); plain http only on a developer's loopback.
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.LoginPath = BasePath + "/sign-in";
                options.LogoutPath = BasePath + "/sign-out";
                options.AccessDeniedPath = BasePath + "/denied";
                options.ReturnUrlParameter = "returnUrl";
                options.Events.OnValidatePrincipal = context =>
                {
                    // A key removed from the configuration ends its sessions at their next request.
                    var ops = context.HttpContext.RequestServices.GetRequiredService<IOptionsMonitor<OpsOptions>>().CurrentValue;
                    if (context.Principal is null || !ConsoleAuth.IsStillValid(context.Principal, ops))
                    {
                        context.RejectPrincipal();
                    }

                    return Task.CompletedTask;
                };
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ConsoleAuth.ReadPolicy, policy => policy.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireRole(ConsoleAuth.OperatorRole, ConsoleAuth.ReaderRole))
            .AddPolicy(ConsoleAuth.WritePolicy, policy => policy.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireRole(ConsoleAuth.OperatorRole));
        return builder;
    }

    /// <summary>
    /// Where to go after signing in or switching language: the page asked for when it is a console page
    /// of this site, otherwise the overview. Never another site (no open redirect).
    /// </summary>
    public static string SafeReturn(HttpRequest request, string? returnUrl)
    {
        var home = request.PathBase + BasePath;
        return returnUrl is not null
            && returnUrl.StartsWith(home, StringComparison.Ordinal)
            && (returnUrl.Length == home.Length || returnUrl[home.Length] is '/' or '?')
            && !returnUrl.Contains('\\', StringComparison.Ordinal)
            ? returnUrl
            : home;
    }

    public static WebApplication MapOpsConsole(this WebApplication app)
    {
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(BasePath),
            console => console.UseConsoleHeaders());
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapConsoleAssets();
        app.MapRazorPages();
        return app;
    }
}
