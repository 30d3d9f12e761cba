namespace WebhookProcessor.IntegrationTests.Telemetry;

/// <summary>
/// Telemetry tests run alone: the OpenTelemetry SDK listens to sources and meters by name, so another
/// test's service in the same process would add its spans and measurements to theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}
