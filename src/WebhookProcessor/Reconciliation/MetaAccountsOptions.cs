namespace WebhookProcessor.Reconciliation;

/// <summary>
/// <c>Meta:Accounts</c>: WhatsApp Business Account ids to reconcile besides every account a webhook
/// has named. Bound from the <c>Meta</c> section, beside the webhook settings there.
/// </summary>
public sealed class MetaAccountsOptions
{
    public const string SectionName = "Meta";

    public IReadOnlyList<string> Accounts { get; init; } = [];
}
