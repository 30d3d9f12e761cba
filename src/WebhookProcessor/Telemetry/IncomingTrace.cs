using System.Diagnostics;
using OpenTelemetry.Context.Propagation;

namespace WebhookProcessor.Telemetry;

/// <summary>
/// The parent of the first span the service makes for a request. Normally the request's own server
/// span. On Functions there is none (the host records the request, see
/// the registration in Hosting), so the service's spans continue the trace context the host sent
/// in the request's <c>traceparent</c> header, when it sent one.
/// </summary>
public static class IncomingTrace
{
    public static ActivityContext ParentOf(HttpContext context)
    {
        if (Activity.Current is { Recorded: true } current)
        {
            return current.Context;
        }

        var propagated = Propagators.DefaultTextMapPropagator.Extract(default, context.Request.Headers, static (headers, name) => headers.TryGetValue(name, out var values) ? values.Where(v => v is not null).Select(v => v!) : []);
        return propagated.ActivityContext;
    }

    /// <summary>Starts a span under <see cref="ParentOf"/>; null when nobody listens.</summary>
    public static Activity? Start(HttpContext context, string name, ActivityKind kind) =>
        WebhookActivities.Source.HasListeners()
            ? WebhookActivities.Source.StartActivity(name, kind, ParentOf(context))
            : null;
}
