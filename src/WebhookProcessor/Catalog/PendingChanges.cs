namespace WebhookProcessor.Catalog;

/// <summary>The one rule for when a pending category change is overdue, shared by reconciliation and health.</summary>
public static class PendingChanges
{
    /// <summary>
    /// Its effective time plus <paramref name="grace"/> has passed without a completed update. A change
    /// whose time is unknown is never overdue: there is no time to be late for.
    /// </summary>
    public static bool IsOverdue(PendingCategoryChange pending, DateTimeOffset now, TimeSpan grace) =>
        pending.EffectiveAt is { } at && at + grace < now;
}
