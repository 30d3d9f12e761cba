using Microsoft.Extensions.Options;

namespace WebhookProcessor.Functions;

public sealed class FunctionsOptionsValidator : IValidateOptions<FunctionsOptions>
{
    /// <summary>Premium's largest message, encoded twice by the host, still fits below this; an array cannot be much larger.</summary>
    private const int MaxInvocationBytes = 1024 * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, FunctionsOptions options)
    {
        const string S = FunctionsOptions.SectionName;
        var failures = new List<string>();
        if (options.MaxInvocationBytes is < 64 * 1024 or > MaxInvocationBytes)
        {
            failures.Add($"{S}:MaxInvocationBytes must be between 65536 and {MaxInvocationBytes}.");
        }

        if (options.AlertDispatchTimeout < TimeSpan.Zero || options.AlertDispatchTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{S}:AlertDispatchTimeout must be between 00:00:00 (leave alerts to the timer) and 00:05:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
