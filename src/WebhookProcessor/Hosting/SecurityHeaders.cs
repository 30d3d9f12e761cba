namespace WebhookProcessor.Hosting;

/// <summary>Headers every response carries, whichever part of the app (or its error handling) writes it.</summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(static (context, next) =>
        {
            // Set at start and again just before the headers go out: the exception handler clears the
            // response, and the verification handshake echoes caller-chosen text that must never be sniffed
            // into HTML or script.
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.OnStarting(static state =>
            {
                ((HttpResponse)state).Headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            }, context.Response);
            return next(context);
        });
}
