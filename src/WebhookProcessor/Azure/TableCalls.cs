using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;

namespace WebhookProcessor.Azure;

/// <summary>
/// The SDK calls the stores make, with the answers they act on as results rather than exceptions: an
/// insert that finds the row there (409), an update whose ETag no longer matches (412) or whose row is
/// gone (404). Any other failure stays a <see cref="RequestFailedException"/>. Null-valued properties are
/// dropped before a write: the service has no nulls, and an absent property is how "no value" is stored.
/// </summary>
internal static class TableCalls
{
    /// <summary>The most operations one entity group transaction may hold.</summary>
    public const int MaxTransactionActions = 100;

    public static async Task<TableEntity?> FindAsync(this TableClient table, string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, select, cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Adds the entity; false when one with its keys exists.</summary>
    public static async Task<bool> InsertAsync(this TableClient table, TableEntity entity, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await table.AddEntityAsync(Compact(entity), cancellationToken);
            entity.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Replaces the stored entity only while its ETag is <paramref name="ifMatch"/>; false when someone wrote it since, or it is gone.</summary>
    public static async Task<bool> ReplaceIfAsync(this TableClient table, TableEntity entity, ETag ifMatch, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await table.UpdateEntityAsync(Compact(entity), ifMatch, TableUpdateMode.Replace, cancellationToken);
            entity.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    public static async Task UpsertAsync(this TableClient table, TableEntity entity, CancellationToken cancellationToken = default) =>
        await table.UpsertEntityAsync(Compact(entity), TableUpdateMode.Replace, cancellationToken);

    /// <summary>Deletes the entity (while its ETag is <paramref name="ifMatch"/>, any by default); false when there was none to delete.</summary>
    public static async Task<bool> RemoveAsync(this TableClient table, string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default)
    {
        try
        {
            // The SDK answers a missing entity without throwing; its status says whether one was deleted.
            var response = await table.DeleteEntityAsync(partitionKey, rowKey, ifMatch == default ? ETag.All : ifMatch, cancellationToken);
            return response.Status != 404;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>
    /// An entity group transaction: all or nothing. When the service refuses one action (a conflict,
    /// an ETag mismatch, a missing row), the result names it when the service said which; other failures throw.
    /// </summary>
    public static async Task<TransactionOutcome> TransactAsync(this TableClient table, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        foreach (var action in actions)
        {
            if (action.Entity is TableEntity entity)
            {
                Compact(entity);
            }
        }

        try
        {
            var response = await table.SubmitTransactionAsync(actions, cancellationToken);
            for (var i = 0; i < actions.Count && i < response.Value.Count; i++)
            {
                if (response.Value[i].Headers.ETag is { } etag)
                {
                    actions[i].Entity.ETag = etag;
                }
            }

            return new TransactionOutcome(true, null);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            return new TransactionOutcome(false, ex.FailedTransactionActionIndex);
        }
    }

    /// <summary>One page of a query: at most <paramref name="max"/> rows (the service may return fewer, even none, before the end).</summary>
    public static async Task<(IReadOnlyList<TableEntity> Items, string? Continuation)> PageAsync(this TableClient table, string filter, int max, string? continuation, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        var size = Math.Clamp(max, 1, 1000);
        await foreach (var page in table.QueryAsync<TableEntity>(filter, size, select, cancellationToken).AsPages(continuation, size))
        {
            return (page.Values, page.ContinuationToken);
        }

        return ([], null);
    }

    /// <summary>Every matching row, following continuations to the end.</summary>
    public static async IAsyncEnumerable<TableEntity> AllAsync(this TableClient table, string filter, IEnumerable<string>? select = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in table.QueryAsync<TableEntity>(filter, 1000, select, cancellationToken))
        {
            yield return row;
        }
    }

    /// <summary>Drops null-valued properties (see the class remarks); returns the same entity.</summary>
    public static TableEntity Compact(TableEntity entity)
    {
        foreach (var name in entity.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            entity.Remove(name);
        }

        return entity;
    }
}
