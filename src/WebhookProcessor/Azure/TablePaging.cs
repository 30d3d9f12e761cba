using WebhookProcessor.AzureRest.Tables;

namespace WebhookProcessor.Azure;

internal static class TablePaging
{
    /// <summary>
    /// The first <paramref name="count"/> matches in key order. With filters on non-key properties the
    /// service may return short or empty pages before the end, so pages are read until enough have come.
    /// </summary>
    public static async Task<List<TableEntity>> TakeAsync(TableClient table, string filter, int count, CancellationToken cancellationToken, IReadOnlyList<string>? select = null)
    {
        var rows = new List<TableEntity>(Math.Min(count, 1000));
        string? continuation = null;
        do
        {
            var page = await table.QueryPageAsync(filter, Math.Min(1000, count - rows.Count), select, continuation, cancellationToken: cancellationToken);
            rows.AddRange(page.Items);
            continuation = page.Continuation;
        }
        while (continuation is not null && rows.Count < count);

        return rows.Count > count ? rows[..count] : rows;
    }
}
