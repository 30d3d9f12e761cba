using Microsoft.Extensions.Options;

namespace WebhookProcessor.Telemetry;

/// <summary>Refuses a sample interval that would make the gauges read the stores in a tight loop.</summary>
public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options) =>
        options.SampleInterval < TimeSpan.FromSeconds(1)
            ? ValidateOptionsResult.Fail("Telemetry:SampleInterval must be at least 00:00:01.")
            : ValidateOptionsResult.Success;
}
