namespace WebhookProcessor.Reconciliation;

/// <summary>
/// What one run did for one account (WABA).
/// </summary>
/// <param name="TemplatesSeen">Templates the Graph API listed (or returned one by one, for overdue changes).</param>
/// <param name="Added">Templates the catalog did not know.</param>
/// <param name="Changed">Known templates whose status, category, quality or pending change differed, and were corrected.</param>
/// <param name="PendingChangesFound">Category changes Meta shows as pending that the catalog did not show.</param>
/// <param name="Deleted">Catalog templates a complete listing no longer contains.</param>
/// <param name="OverduePendingChanges">Pending changes still shown after their effective time plus the grace period.</param>
/// <param name="GraphCalls">Graph API requests made for this account, retries included.</param>
/// <param name="Bootstrap">Whether this was the account's first successful run: templates simply found there alert nobody.</param>
/// <param name="Error">Why the account failed or was skipped, naming the setting to fix where there is one; never a secret.</param>
public sealed record AccountReconciliation(
    string WabaId,
    AccountRunStatus Status,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? EndedAt = null,
    int TemplatesSeen = 0,
    int Added = 0,
    int Changed = 0,
    int PendingChangesFound = 0,
    int Deleted = 0,
    int OverduePendingChanges = 0,
    int GraphCalls = 0,
    bool Bootstrap = false,
    string? Error = null);
