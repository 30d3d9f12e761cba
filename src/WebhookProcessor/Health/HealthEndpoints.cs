using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;
using WebhookProcessor.Ops;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Health;

/// <summary>
/// Liveness and readiness on the ASP.NET Core health checks, beside the detailed <c>/healthz</c>:
/// <c>/healthz/live</c> answers while the process does, <c>/healthz/ready</c> while the catalog store,
/// the notification store and the queue (with its outside dependencies) answer. Both need no key and
/// say only the status; why a check failed is in the log.
/// </summary>
public static class HealthEndpoints
{
    public const string LiveRoute = OpsEndpoints.HealthRoute + "/live";
    public const string ReadyRoute = OpsEndpoints.HealthRoute + "/ready";

    /// <summary>The tag of the checks liveness runs (none today: the process answering is the check).</summary>
    public const string LiveTag = "live";

    /// <summary>The tag of the checks readiness runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>A template id no template has (Meta's are large numbers): the catalog read finds nothing, cheaply.</summary>
    private const long ProbeTemplateId = 1;

    /// <summary>A notification id no notification has: the notification store's read finds nothing, cheaply.</summary>
    private const string ProbeNotificationId = "health-probe";

    public static WebApplicationBuilder AddHealthEndpoints(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HealthOptions>, HealthOptionsValidator>();
        builder.Services.AddHealthChecks()
            .Add(Ready("catalog", async (sp, ct) =>
            {
                await sp.GetRequiredService<ITemplateStore>().GetTemplateAsync(ProbeTemplateId, ct);
                return null;
            }))
            .Add(Ready("notifications", async (sp, ct) =>
            {
                await sp.GetRequiredService<INotificationStore>().GetAsync(ProbeNotificationId, ct);
                return null;
            }))
            .Add(Ready("queue", async (sp, ct) =>
            {
                // The embedded queue (the one consumed in this process) is read like a store. A broker's queue
                // is checked by its link below: its figures need the Manage right, and a namespace that will not
                // tell them still takes and delivers messages.
                if (sp.GetService<IQueueConsumer>() is not null)
                {
                    await sp.GetRequiredService<IQueueMonitor>().GetStatsAsync(ct);
                }

                return null;
            }))
            // The outside dependencies /healthz lists (the Service Bus link on Azure), the same checks.
            .Add(Ready("dependencies", async (sp, ct) =>
            {
                foreach (var check in sp.GetServices<IDependencyCheck>())
                {
                    if (await check.CheckAsync(ct) is { } problem)
                    {
                        return $"{check.Name}: {problem}";
                    }
                }

                return null;
            }));
        return builder;
    }

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "", "/api" })
        {
            // Also under /api, where a Functions HTTP trigger forwards them.
            app.MapGet(prefix + LiveRoute, LiveAsync).WithTags("Health")
                .WithSummary(prefix.Length == 0 ? "Liveness: the process answers (no key)" : "Liveness where the Functions host forwards it (no key)")
                .Produces<string>(StatusCodes.Status200OK, "text/plain").Produces<string>(StatusCodes.Status503ServiceUnavailable, "text/plain");
            app.MapGet(prefix + ReadyRoute, ReadyAsync).WithTags("Health")
                .WithSummary(prefix.Length == 0 ? "Readiness: the stores and the queue answer (no key)" : "Readiness where the Functions host forwards it (no key)")
                .Produces<string>(StatusCodes.Status200OK, "text/plain").Produces<string>(StatusCodes.Status503ServiceUnavailable, "text/plain");
        }

        return app;
    }

    internal static async Task<IResult> LiveAsync(HttpContext context, HealthCheckService health, CancellationToken cancellationToken) =>
        Answer(context, await health.CheckHealthAsync(r => r.Tags.Contains(LiveTag), cancellationToken));

    internal static async Task<IResult> ReadyAsync(HttpContext context, HealthCheckService health, CancellationToken cancellationToken) =>
        Answer(context, await health.CheckHealthAsync(r => r.Tags.Contains(ReadyTag), cancellationToken));

    /// <summary>The status word alone, never cached: a probe must see the state of now.</summary>
    private static IResult Answer(HttpContext context, HealthReport report)
    {
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Text(
            report.Status.ToString(),
            "text/plain",
            statusCode: report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    private static HealthCheckRegistration Ready(string name, Func<IServiceProvider, CancellationToken, Task<string?>> probe) =>
        new(
            name,
            sp => new ReadinessCheck(
                name,
                ct => probe(sp, ct),
                sp.GetRequiredService<IOptions<HealthOptions>>().Value.ReadyTimeout,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<ReadinessCheck>>()),
            HealthStatus.Unhealthy,
            [ReadyTag]);
}
