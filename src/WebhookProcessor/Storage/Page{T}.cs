namespace WebhookProcessor.Storage;

/// <summary>
/// One page of a listing; <see cref="NextCursor"/> is null on the last page. <see cref="ItemCursors"/>,
/// when given, holds for each item the cursor that continues right after it, so a caller that keeps
/// only the first items (say, to bound the response's size) can still hand out a correct next cursor.
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor, IReadOnlyList<string>? ItemCursors = null)
{
    /// <summary>The same page with each item converted, cursors kept.</summary>
    public Page<TOut> Select<TOut>(Func<T, TOut> convert) => new(Items.Select(convert).ToList(), NextCursor, ItemCursors);
}
