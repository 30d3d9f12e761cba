namespace WebhookProcessor.Reconciliation;

/// <summary>
/// Reconciles one account that the caller has already claimed: lists its templates from the Graph API,
/// applies the differences through the one decision, and reports what it did. It never throws for a
/// Graph API or account problem: those end as a failed <see cref="AccountReconciliation"/> naming the cause.
/// It throws only when cancelled or when the catalog store fails.
/// </summary>
public interface IAccountReconciler
{
    /// <param name="bootstrap">The account has never been reconciled successfully: templates simply found there alert nobody.</param>
    /// <param name="progress">Called with the account's figures as they grow, so a run can show them while running.</param>
    Task<AccountReconciliation> ReconcileAsync(string wabaId, string runId, bool bootstrap, Action<AccountReconciliation>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// Fetches one by one the templates of <paramref name="wabaId"/> whose pending category change is overdue
    /// (effective time plus the grace period has passed) and applies what Meta answers.
    /// </summary>
    Task<AccountReconciliation> ReconcileOverdueAsync(string wabaId, string runId, CancellationToken cancellationToken);
}
