using Microsoft.Extensions.Options;

namespace WebhookProcessor.Reconciliation;

/// <summary>Refuses <c>Reconciliation:*</c> values that would make the loop spin or a claim expire while its run renews it.</summary>
public sealed class ReconciliationOptionsValidator : IValidateOptions<ReconciliationOptions>
{
    public ValidateOptionsResult Validate(string? name, ReconciliationOptions options)
    {
        var errors = new List<string>();
        if (options.Interval < TimeSpan.FromMinutes(1))
        {
            errors.Add("Reconciliation:Interval must be at least 00:01:00.");
        }

        if (options.OverdueCheckInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add("Reconciliation:OverdueCheckInterval must be at least 00:00:01.");
        }

        if (options.OverdueGrace < TimeSpan.Zero)
        {
            errors.Add("Reconciliation:OverdueGrace must not be negative.");
        }

        // A run renews its claim every third of this; below a few seconds a slow store call could outlast it.
        if (options.ClaimDuration < TimeSpan.FromSeconds(30))
        {
            errors.Add("Reconciliation:ClaimDuration must be at least 00:00:30.");
        }

        if (options.BatchSize < 1)
        {
            errors.Add("Reconciliation:BatchSize must be at least 1.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
