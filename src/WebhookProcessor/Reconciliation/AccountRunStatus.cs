namespace WebhookProcessor.Reconciliation;

/// <summary>One account's part of a run. API names are lower case.</summary>
public enum AccountRunStatus
{
    /// <summary>Not started yet, or listing now.</summary>
    Running,
    Succeeded,
    Failed,

    /// <summary>Another run held the account: one run at a time per account.</summary>
    Skipped,
}
