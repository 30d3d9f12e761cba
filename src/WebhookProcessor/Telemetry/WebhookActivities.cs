using System.Diagnostics;

namespace WebhookProcessor.Telemetry;

/// <summary>
/// The service's spans. A webhook's trace is carried from the request through the queue as a W3C
/// <c>traceparent</c> kept with each queued change (a column in SQLite, application properties on
/// Service Bus) and each alert in the outbox, so processing and every delivery attempt join the
/// webhook's trace even after a restart or hours later. With no listener (no exporter configured) no
/// span is made and nothing is stored.
/// </summary>
public static class WebhookActivities
{
    public static readonly ActivitySource Source = new(TelemetryNames.ActivitySource, typeof(WebhookActivities).Assembly.GetName().Version?.ToString(3));

    /// <summary>The <c>traceparent</c> to store for work that continues <paramref name="activity"/>; null without one.</summary>
    public static string? TraceParentOf(Activity? activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C } ? activity.Id : null;

    /// <summary>The context a stored <c>traceparent</c> names; default (no parent) when there is none or it is not one.</summary>
    public static ActivityContext ContextOf(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;

    /// <summary>
    /// Starts a span continuing a stored <c>traceparent</c>; without one it continues the current span.
    /// Null when nobody listens.
    /// </summary>
    public static Activity? StartFrom(string name, ActivityKind kind, string? traceParent)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var parent = ContextOf(traceParent);
        return parent == default
            ? Source.StartActivity(name, kind)
            : Source.StartActivity(name, kind, parent);
    }

    /// <summary>Marks a span failed with the error's type only: messages can quote addresses and URLs.</summary>
    public static void Fail(Activity? activity, Exception error)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error);
        activity.SetTag(TelemetryTags.ErrorType, error.GetType().FullName);
    }

    /// <summary>Marks a span failed with a fixed description of this service's own.</summary>
    public static void Fail(Activity? activity, string errorType)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error);
        activity.SetTag(TelemetryTags.ErrorType, errorType);
    }
}
