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
        await foreach (var template in PendingAsync(catalog, wabaId, cancellationToken))
        {
            if (template.PendingCategoryChange is { } p && IsOverdue(p, now, grace))
            {
                overdue.Add(template);
            }
        }

        return overdue;
    }

    /// <summary>The soonest known effective time among the catalog's pending changes; null when none has one.</summary>
    public static async Task<DateTimeOffset?> NextEffectiveAtAsync(ITemplateStore catalog, CancellationToken cancellationToken)
    {
        DateTimeOffset? next = null;
        await foreach (var template in PendingAsync(catalog, null, cancellationToken))
        {
            if (template.PendingCategoryChange?.EffectiveAt is { } at && (next is null || at < next))
            {
                next = at;
            }
        }

        return next;
    }

    /// <summary>Every template with a pending change, a page at a time.</summary>
    private static async IAsyncEnumerable<TemplateRecord> PendingAsync(
        ITemplateStore catalog, string? wabaId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var page = await catalog.QueryTemplatesAsync(new TemplateQuery(WabaId: wabaId, PendingChange: true, Limit: PageSize, Cursor: cursor), cancellationToken);
            foreach (var template in page.Items)
            {
                yield return template;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    private const int PageSize = 500;
}
