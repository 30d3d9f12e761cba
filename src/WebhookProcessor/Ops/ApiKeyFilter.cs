using Microsoft.Extensions.Options;
using WebhookProcessor.Security;

namespace WebhookProcessor.Ops;

/// <summary>
/// Lets a request through only with an <c>X-Api-Key</c> that matches one of <c>Ops:ApiKeys</c>, or one of
/// <c>Ops:ReadOnlyApiKeys</c> for GET and HEAD.
/// </summary>
public sealed partial class ApiKeyFilter(IOptions<OpsOptions> options, RefusalLimiter limiter, ILogger<ApiKeyFilter> logger) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var presented = context.HttpContext.Request.Headers[HeaderName];
        var full = SecretComparer.MatchesAny(presented, options.Value.ApiKeys);
        if (!full && SecretComparer.MatchesAny(presented, options.Value.ReadOnlyApiKeys))
        {
            if (HttpMethods.IsGet(context.HttpContext.Request.Method) || HttpMethods.IsHead(context.HttpContext.Request.Method))
            {
                return await next(context);
            }

            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Read-only key",
                detail: "This key is in Ops:ReadOnlyApiKeys: it may read but not change anything. Use a key from Ops:ApiKeys.");
        }

        if (!full)
        {
            // A wrong or missing key counts against the caller's address; over the limit it gets 429.
            if (limiter.Refuse(context.HttpContext, client => KeyRejected(logger, client, LogText.Clean(context.HttpContext.Request.Path.Value))) is { } tooMany)
            {
                return tooMany;
            }

            context.HttpContext.Response.Headers.WWWAuthenticate = "ApiKey header=\"X-Api-Key\"";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "API key required",
                detail: $"Send one of the keys configured in Ops:ApiKeys in the {HeaderName} header.");
        }

        return await next(context);
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Ops API refused: missing or wrong X-Api-Key (remote {RemoteAddress}, path {Path})")]
    private static partial void KeyRejected(ILogger logger, string remoteAddress, string? path);
}
