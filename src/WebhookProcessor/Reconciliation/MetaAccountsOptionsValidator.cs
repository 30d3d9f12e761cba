using Microsoft.Extensions.Options;

namespace WebhookProcessor.Reconciliation;

public sealed class MetaAccountsOptionsValidator : IValidateOptions<MetaAccountsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetaAccountsOptions options)
    {
        // An id goes into a Graph API path: digits only keeps anything else out of the URL.
        var wrong = options.Accounts
            .Select((id, index) => (id, index))
            .Where(a => !GraphIds.IsId(a.id))
            .Select(a => $"Meta:Accounts:{a.index} must be a WhatsApp Business Account id (digits only).")
            .ToList();
        return wrong.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(wrong);
    }
}
