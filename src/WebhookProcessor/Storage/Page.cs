namespace WebhookProcessor.Storage;

public static class Page
{
    /// <summary>
    /// Pages are read with one row more than <paramref name="limit"/>: that extra row only says another
    /// page exists, and the cursor points after the last row kept.
    /// </summary>
    public static Page<T> FromOneExtra<T>(List<T> items, int limit, Func<T, string> cursorOf)
    {
        var more = items.Count > limit;
        if (more)
        {
            items.RemoveAt(limit);
        }

        var cursors = items.Select(cursorOf).ToList();
        return new Page<T>(items, more ? cursors[^1] : null, cursors);
    }
}
