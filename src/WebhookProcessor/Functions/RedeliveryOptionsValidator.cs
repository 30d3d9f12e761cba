using Microsoft.Extensions.Options;

namespace WebhookProcessor.Functions;

public sealed class RedeliveryOptionsValidator : IValidateOptions<RedeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, RedeliveryOptions options)
    {
        const string S = RedeliveryOptions.SectionName;
        var failures = new List<string>();
        if (options.FirstDelay < TimeSpan.FromSeconds(1) || options.FirstDelay > TimeSpan.FromHours(1))
        {
            failures.Add($"{S}:FirstDelay must be between 00:00:01 and 01:00:00.");
        }

        if (options.MaxDelay < options.FirstDelay || options.MaxDelay > TimeSpan.FromDays(1))
        {
            failures.Add($"{S}:MaxDelay must be at least {S}:FirstDelay and at most 1.00:00:00.");
        }

        // A scheduled message must still be on the queue when it comes due: the queue's default time to
        // live is 14 days, and a change waiting longer than a week has lost its meaning for its owner anyway.
        if (options.GiveUpAfter < options.FirstDelay || options.GiveUpAfter > TimeSpan.FromDays(7))
        {
            failures.Add($"{S}:GiveUpAfter must be at least {S}:FirstDelay and at most 7.00:00:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
