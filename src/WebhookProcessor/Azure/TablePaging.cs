using Azure.Data.Tables;

namespace WebhookProcessor.Azure;

internal static class TablePaging
{
    /// <summary>
    /// The first <paramref name="count"/> matches in key order. With filters on non-key properties the
    /// service may return short or empty pages before the end, so pages are read until enough have come.
    /// </summary>
    /// <param name="keep">A further test on each row that the service's filter language cannot express; rows failing it are skipped.</param>
    public static async Task<List<TableEntity>> TakeAsync(TableClient table, string filter, int count, CancellationToken cancellationToken, IReadOnlyList<string>? select = null, Func<TableEntity, bool>? keep = null)
    {
        var rows = new List<TableEntity>(Math.Min(count, 1000));
        string? continuation = null;
        do
        {
            var (items, next) = await table.PageAsync(filter, count - rows.Count, continuation, select, cancellationToken);
            rows.AddRange(keep is null ? items : items.Where(keep));
            continuation = next;
        }
        while (continuation is not null && rows.Count < count);

        return rows.Count > count ? rows[..count] : rows;
    }
}
