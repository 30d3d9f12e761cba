namespace WebhookProcessor.Reconciliation;

/// <summary>Where a run stands. API names are lower case: <c>running</c>, <c>succeeded</c>, <c>failed</c>, <c>partial</c>.</summary>
public enum ReconciliationStatus
{
    Running,
    Succeeded,

    /// <summary>No account succeeded.</summary>
    Failed,

    /// <summary>Some accounts succeeded and some did not (failed or skipped).</summary>
    Partial,
}
