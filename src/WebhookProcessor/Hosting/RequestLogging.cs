using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using WebhookProcessor.Security;

namespace WebhookProcessor.Hosting;

/// <summary>
/// One line per request at Information, with secrets in the query redacted and control characters dropped.
/// ASP.NET Core's own request lines (category <c>Microsoft.AspNetCore.Hosting.Diagnostics</c>) print the
/// raw query, which holds <c>hub.verify_token</c> during Meta's handshake, and are written before any
/// middleware could change it; so they are held at Warning whatever the configuration says, and this
/// log replaces them. Enable it with <c>Logging:LogLevel:WebhookProcessor.RequestLog</c> = <c>Information</c>.
/// </summary>
public static partial class RequestLogging
{
    public const string Category = "WebhookProcessor.RequestLog";
    public const string HostingCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";
    public const string Redacted = "[redacted]";

    /// <summary>Query parameters whose values are secrets.</summary>
    private static readonly string[] SecretParameters = ["hub.verify_token"];

    public static IServiceCollection AddRequestLogging(this IServiceCollection services)
    {
        // PostConfigure runs after every configured rule (and again on each reload), and a rule added last
        // wins a tie. One rule per provider alias in use, plus one without a provider, so no configured
        // provider-specific rule can bring the raw request lines back.
        services.PostConfigure<LoggerFilterOptions>(options =>
        {
            var providers = options.Rules.Select(r => r.ProviderName).Where(p => p is not null).Distinct().ToList();
            options.Rules.Add(new LoggerFilterRule(null, HostingCategory, LogLevel.Warning, null));
            foreach (var provider in providers)
            {
                options.Rules.Add(new LoggerFilterRule(provider, HostingCategory, LogLevel.Warning, null));
            }
        });
        return services;
    }

    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        return app.Use(async (context, next) =>
        {
            if (!logger.IsEnabled(LogLevel.Information))
            {
                await next(context);
                return;
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                var request = context.Request;
                Finished(
                    logger,
                    LogText.Clean(request.Method)!,
                    LogText.Clean(request.PathBase.Value + request.Path.Value)!,
                    LogText.Clean(RedactQuery(request.QueryString.Value))!,
                    context.Response.StatusCode,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
    }

    /// <summary>The query as received, with the value of every secret parameter replaced.</summary>
    public static string RedactQuery(string? query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(query.Length);
        var first = true;
        foreach (var pair in query.TrimStart('?').Split('&'))
        {
            builder.Append(first ? '?' : '&');
            first = false;
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            if (equals >= 0 && IsSecret(name))
            {
                builder.Append(name).Append('=').Append(Redacted);
            }
            else
            {
                builder.Append(pair);
            }
        }

        return builder.ToString();
    }

    private static bool IsSecret(string encodedName)
    {
        // Compare decoded names, so hub%2Everify_token or a '+' trick still counts as the token.
        var name = Uri.UnescapeDataString(encodedName.Replace('+', ' '));
        return SecretParameters.Any(s => string.Equals(s, name.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "HTTP {Method} {Path}{Query} answered {StatusCode} in {ElapsedMilliseconds:0.0} ms")]
    private static partial void Finished(ILogger logger, string method, string path, string query, int statusCode, double elapsedMilliseconds);
}
