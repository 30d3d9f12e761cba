using Microsoft.Extensions.Options;

namespace WebhookProcessor.Security;

internal sealed class RateLimitingOptionsValidator : IValidateOptions<RateLimitingOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitingOptions options)
    {
        var failures = new List<string>();
        if (options.PermitLimit is < 1 or > 1_000_000)
        {
            failures.Add("RateLimiting:PermitLimit must be between 1 and 1000000.");
        }

        if (options.Window < TimeSpan.FromSeconds(1) || options.Window > TimeSpan.FromHours(24))
        {
            failures.Add("RateLimiting:Window must be between 00:00:01 and 1.00:00:00.");
        }

        if (options.MaxTrackedClients is < 1 or > 1_000_000)
        {
            failures.Add("RateLimiting:MaxTrackedClients must be between 1 and 1000000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
