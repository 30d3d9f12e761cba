using Microsoft.Extensions.Options;

namespace WebhookProcessor.Health;

public sealed class HealthOptionsValidator : IValidateOptions<HealthOptions>
{
    /// <summary>Longer than any probe waits for an answer: a readiness check that slow is no check.</summary>
    public static readonly TimeSpan MaxReadyTimeout = TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, HealthOptions options) =>
        options.ReadyTimeout <= TimeSpan.Zero || options.ReadyTimeout > MaxReadyTimeout
            ? ValidateOptionsResult.Fail($"{HealthOptions.SectionName}:ReadyTimeout must be more than 0 and at most {MaxReadyTimeout:c} (for example 00:00:05, the default); it is {options.ReadyTimeout:c}.")
            : ValidateOptionsResult.Success;
}
