namespace WebhookProcessor.OpsConsole;

/// <summary>
/// On Azure Functions every HTTP route sits under <c>/api</c>, so the console arrives as
/// <c>/api/console/…</c>. This moves <c>/api</c> into the path base for those requests only, before
/// routing, so the same pages serve both hosts and every link, redirect and cookie follows the prefix.
/// </summary>
public static class ConsolePaths
{
    private const string FunctionsPrefix = "/api";

    public static IApplicationBuilder UseConsolePaths(this IApplicationBuilder app) =>
        app.Use(static (context, next) =>
        {
            var path = context.Request.Path;
            if (path.StartsWithSegments(FunctionsPrefix + ConsoleRegistration.BasePath, out var rest))
            {
                context.Request.PathBase = context.Request.PathBase.Add(FunctionsPrefix);
                context.Request.Path = new PathString(ConsoleRegistration.BasePath).Add(rest);
            }

            return next(context);
        });
}
