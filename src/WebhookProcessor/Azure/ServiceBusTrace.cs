using System.Diagnostics;

namespace WebhookProcessor.Azure;

/// <summary>
/// The trace context a queued change carries on Service Bus: the W3C <c>traceparent</c> application
/// property, and the same value as <c>Diagnostic-Id</c>, the name the Azure SDKs and the Functions
/// host's Service Bus extension read to link an invocation to its sender.
/// </summary>
public static class ServiceBusTrace
{
    public const string TraceParentProperty = "traceparent";

    public const string DiagnosticIdProperty = "Diagnostic-Id";

    public static void Write(IDictionary<string, object> properties, string? traceParent)
    {
        if (traceParent is null)
        {
            return;
        }

        properties[TraceParentProperty] = traceParent;
        properties[DiagnosticIdProperty] = traceParent;
    }

    /// <summary>The <c>traceparent</c>, else a W3C <c>Diagnostic-Id</c>; null when neither is one.</summary>
    public static string? Read(IReadOnlyDictionary<string, object> properties) =>
        Valid(Text(properties, TraceParentProperty)) ?? Valid(Text(properties, DiagnosticIdProperty));

    public static string? Read(IReadOnlyDictionary<string, string?> properties) =>
        Valid(properties.GetValueOrDefault(TraceParentProperty)) ?? Valid(properties.GetValueOrDefault(DiagnosticIdProperty));

    private static string? Text(IReadOnlyDictionary<string, object> properties, string name) =>
        properties.TryGetValue(name, out var value) ? value as string : null;

    private static string? Valid(string? value) =>
        value is not null && ActivityContext.TryParse(value, null, out _) ? value : null;
}
