using Microsoft.Extensions.Options;
using WebhookProcessor.Hosting;

namespace WebhookProcessor.Ops;

/// <summary>Lets a request through only with an <c>X-Api-Key</c> that matches one of <c>Ops:ApiKeys</c>.</summary>
public sealed class ApiKeyFilter(IOptions<OpsOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!SecretComparer.MatchesAny(context.HttpContext.Request.Headers[HeaderName], options.Value.ApiKeys))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "ApiKey header=\"X-Api-Key\"";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "API key required",
                detail: $"Send one of the keys configured in Ops:ApiKeys in the {HeaderName} header.");
        }

        return await next(context);
    }
}
