using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Diagnostics;
using WebhookProcessor.Security;

namespace WebhookProcessor.Hosting;

/// <summary>
/// Turns a request body the client broke (bad chunk framing, too slow, cut off) into the 4xx Kestrel
/// assigns it, on any endpoint, logged briefly instead of as a server error with a stack trace. A handled
/// exception is not reported by the exception handler middleware as an unhandled one.
/// </summary>
internal sealed partial class ClientErrorHandler(IProblemDetailsService problems, ILogger<ClientErrorHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var path = LogText.Clean(httpContext.Request.Path.Value);
        var client = RefusalLimiter.ClientOf(httpContext);
        if (exception is BadHttpRequestException bad)
        {
            BadRequest(logger, bad.StatusCode, LogText.Clean(bad.Message), path, client);
            httpContext.Response.StatusCode = bad.StatusCode;
            await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                ProblemDetails = { Status = bad.StatusCode, Title = "Bad request", Detail = LogText.Clean(bad.Message) },
            });
            return true;
        }

        if (exception is ConnectionResetException
            || (exception is IOException or OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested))
        {
            // Nobody is left to answer.
            ClientGone(logger, exception.GetType().Name, path, client);
            return true;
        }

        return false;
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Bad request refused with {StatusCode}: {Reason} (path {Path}, remote {RemoteAddress})")]
    private static partial void BadRequest(ILogger logger, int statusCode, string? reason, string? path, string remoteAddress);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Debug, Message = "Client closed the connection mid-request ({Kind}; path {Path}, remote {RemoteAddress})")]
    private static partial void ClientGone(ILogger logger, string kind, string? path, string remoteAddress);
}
