using Microsoft.Extensions.Options;

namespace WebhookProcessor.Catalog;

internal sealed class HistoryOptionsValidator : IValidateOptions<HistoryOptions>
{
    public ValidateOptionsResult Validate(string? name, HistoryOptions options) =>
        options.RetentionDays is <= 0
            ? ValidateOptionsResult.Fail("History:RetentionDays must be a positive number of days, or unset to keep all history.")
            : options.PruneInterval < TimeSpan.FromSeconds(1)
                ? ValidateOptionsResult.Fail("History:PruneInterval must be at least 00:00:01.")
                : ValidateOptionsResult.Success;
}
