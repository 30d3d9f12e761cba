namespace WebhookProcessor.Storage;

/// <summary>One page of a newest-first listing; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

public static class Page
{
    /// <summary>
    /// Pages are read with one row more than <paramref name="limit"/>: that extra row only says another
    /// page exists, and the cursor points after the last row kept.
    /// </summary>
    public static Page<T> FromOneExtra<T>(List<T> items, int limit, Func<T, string> cursorOf)
    {
        if (items.Count <= limit)
        {
            return new Page<T>(items, null);
        }

        items.RemoveAt(limit);
        return new Page<T>(items, cursorOf(items[^1]));
    }
}
