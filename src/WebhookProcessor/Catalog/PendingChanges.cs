namespace WebhookProcessor.Catalog;

/// <summary>The one rule for when a pending category change is overdue, shared by reconciliation, health and the console.</summary>
public static class PendingChanges
{
    /// <summary>
    /// Its effective time plus <paramref name="grace"/> has passed without a completed update. A change
    /// whose time is unknown is never overdue: there is no time to be late for.
    /// </summary>
    public static bool IsOverdue(PendingCategoryChange pending, DateTimeOffset now, TimeSpan grace) =>
        pending.EffectiveAt is { } at && at + grace < now;

    /// <summary>
    /// The catalog's templates (of <paramref name="wabaId"/>, or of every account) whose pending change is
    /// overdue, read a page of pending templates at a time.
    /// </summary>
    public static async Task<IReadOnlyList<TemplateRecord>> ListOverdueAsync(
        ITemplateStore catalog, string? wabaId, DateTimeOffset now, TimeSpan grace, CancellationToken cancellationToken)
    {
        var overdue = new List<TemplateRecord>();
        string? cursor = null;
        do
        {
            var page = await catalog.QueryTemplatesAsync(new TemplateQuery(WabaId: wabaId, PendingChange: true, Limit: PageSize, Cursor: cursor), cancellationToken);
            overdue.AddRange(page.Items.Where(t => t.PendingCategoryChange is { } p && IsOverdue(p, now, grace)));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return overdue;
    }

    /// <summary>The soonest known effective time among the catalog's pending changes; null when none has one.</summary>
    public static async Task<DateTimeOffset?> NextEffectiveAtAsync(ITemplateStore catalog, CancellationToken cancellationToken)
    {
        DateTimeOffset? next = null;
        string? cursor = null;
        do
        {
            var page = await catalog.QueryTemplatesAsync(new TemplateQuery(PendingChange: true, Limit: PageSize, Cursor: cursor), cancellationToken);
            foreach (var template in page.Items)
            {
                if (template.PendingCategoryChange?.EffectiveAt is { } at && (next is null || at < next))
                {
                    next = at;
                }
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return next;
    }

    private const int PageSize = 500;
}
