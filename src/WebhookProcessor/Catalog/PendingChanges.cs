namespace WebhookProcessor.Catalog;

/// <summary>The one rule for when a pending category change counts as overdue, shared by /healthz and reconciliation.</summary>
public static class PendingChanges
{
    /// <summary>
    /// Overdue: its effective time is known and, with the grace period added, has passed. A change whose
    /// time is unknown is never overdue: there is no moment it was supposed to have happened by.
    /// </summary>
    public static bool IsOverdue(PendingCategoryChange pending, DateTimeOffset now, TimeSpan grace) =>
        (DateTimeOffset?)pending.EffectiveAt is { } at && at + grace < now;
}
