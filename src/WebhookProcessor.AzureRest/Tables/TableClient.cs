using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;

namespace WebhookProcessor.AzureRest.Tables;

/// <summary>
/// Entities of one table over the REST API. Outcomes a caller acts on (insert conflict, ETag mismatch,
/// not found) are results; anything else unexpected is a <see cref="TableRequestException"/>.
/// Get one from <see cref="TableServiceClient.GetTableClient"/>.
/// </summary>
public sealed class TableClient
{
    private readonly TableTransport _transport;

    internal TableClient(TableTransport transport, string name)
    {
        _transport = transport;
        Name = name;
    }

    public string Name { get; }

    /// <summary>Creates the table; true when it was created, false when it already existed.</summary>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _transport.CreateMessage(RequestMethod.Post, "/Tables");
        message.Request.Headers.SetValue("Content-Type", "application/json");
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        message.Request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = Name }));
        var response = await _transport.SendAsync(message, cancellationToken);
        return response.Status switch
        {
            201 or 204 => true,
            409 => false,
            _ => throw TableTransport.Error(response, "create table", Name),
        };
    }

    /// <summary>Deletes the table; false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(CancellationToken cancellationToken = default)
    {
        using var message = _transport.CreateMessage(RequestMethod.Delete, $"/Tables('{Name}')");
        var response = await _transport.SendAsync(message, cancellationToken);
        return response.Status switch
        {
            204 => true,
            404 => false,
            _ => throw TableRequestFailed(response, "delete table"),
        };
    }

    /// <summary>Inserts a new entity; <see cref="TableWriteOutcome.Conflict"/> when one with its keys exists.</summary>
    public async Task<TableWriteResult> InsertAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        using var message = _transport.CreateMessage(RequestMethod.Post, "/" + Name);
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        SetBody(message, entity);
        var response = await _transport.SendAsync(message, cancellationToken);
        return response.Status switch
        {
            201 or 204 => Written(entity, response),
            409 => new TableWriteResult(TableWriteOutcome.Conflict),
            _ => throw TableRequestFailed(response, "insert"),
        };
    }

    /// <summary>Insert-or-replace, or insert-or-merge: writes whatever is stored.</summary>
    public async Task<TableWriteResult> UpsertAsync(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Replace, CancellationToken cancellationToken = default)
    {
        using var message = _transport.CreateMessage(mode == TableUpdateMode.Replace ? RequestMethod.Put : RequestMethod.Patch, TableTransport.EntityPath(Name, entity.PartitionKey, entity.RowKey));
        SetBody(message, entity);
        var response = await _transport.SendAsync(message, cancellationToken);
        return response.Status == 204 ? Written(entity, response) : throw TableRequestFailed(response, "upsert");
    }

    /// <summary>
    /// Replaces or merges the stored entity only when its ETag is <paramref name="ifMatch"/> (<c>*</c>: any).
    /// <see cref="TableWriteOutcome.PreconditionFailed"/> when someone else wrote it since.
    /// </summary>
    public async Task<TableWriteResult> UpdateAsync(TableEntity entity, string ifMatch, TableUpdateMode mode = TableUpdateMode.Replace, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ifMatch);
        using var message = _transport.CreateMessage(mode == TableUpdateMode.Replace ? RequestMethod.Put : RequestMethod.Patch, TableTransport.EntityPath(Name, entity.PartitionKey, entity.RowKey));
        message.Request.Headers.SetValue("If-Match", ifMatch);
        SetBody(message, entity);
        var response = await _transport.SendAsync(message, cancellationToken);
        return response.Status switch
        {
            204 => Written(entity, response),
            412 => new TableWriteResult(TableWriteOutcome.PreconditionFailed),
            404 => new TableWriteResult(TableWriteOutcome.NotFound),
            _ => throw TableRequestFailed(response, "update"),
        };
    }

    public async Task<TableWriteResult> DeleteEntityAsync(string partitionKey, string rowKey, string ifMatch = "*", CancellationToken cancellationToken = default)
    {
        using var message = _transport.CreateMessage(RequestMethod.Delete, TableTransport.EntityPath(Name, partitionKey, rowKey));
        message.Request.Headers.SetValue("If-Match", ifMatch);
        var response = await _transport.SendAsync(message, cancellationToken);
        return response.Status switch
        {
            204 => new TableWriteResult(TableWriteOutcome.Success),
            412 => new TableWriteResult(TableWriteOutcome.PreconditionFailed),
            404 => new TableWriteResult(TableWriteOutcome.NotFound),
            _ => throw TableRequestFailed(response, "delete"),
        };
    }

    /// <summary>The entity, or null when there is none with these keys.</summary>
    public async Task<TableEntity?> GetEntityAsync(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        using var message = _transport.CreateMessage(RequestMethod.Get, TableTransport.EntityPath(Name, partitionKey, rowKey));
        if (select is not null)
        {
            message.Request.Uri.AppendQuery("$select", string.Join(',', select), true);
        }

        var response = await _transport.SendAsync(message, cancellationToken);
        if (response.Status == 404)
        {
            return null;
        }

        if (response.Status != 200)
        {
            throw TableRequestFailed(response, "get");
        }

        using var json = JsonDocument.Parse(response.Content.ToMemory());
        return TableEntityJson.Read(json.RootElement, response.Headers.ETag?.ToString());
    }

    /// <summary>
    /// One page of a query. <paramref name="continuation"/> is the previous page's; the service returns at
    /// most 1,000 entities (or <paramref name="maxPerPage"/>) per page, and may return fewer, even none, before the end.
    /// </summary>
    public async Task<TablePage> QueryPageAsync(string? filter = null, int? maxPerPage = null, IEnumerable<string>? select = null, string? continuation = null, CancellationToken cancellationToken = default)
    {
        using var message = _transport.CreateMessage(RequestMethod.Get, $"/{Name}()");
        var uri = message.Request.Uri;
        if (filter is not null)
        {
            uri.AppendQuery("$filter", filter, true);
        }

        if (maxPerPage is { } top)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
            uri.AppendQuery("$top", Math.Min(top, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture), false);
        }

        if (select is not null)
        {
            uri.AppendQuery("$select", string.Join(',', select), true);
        }

        if (continuation is not null)
        {
            var (nextPartitionKey, nextRowKey) = TableContinuation.Decode(continuation);
            if (nextPartitionKey is not null)
            {
                uri.AppendQuery("NextPartitionKey", nextPartitionKey, true);
            }

            if (nextRowKey is not null)
            {
                uri.AppendQuery("NextRowKey", nextRowKey, true);
            }
        }

        var response = await _transport.SendAsync(message, cancellationToken);
        if (response.Status != 200)
        {
            throw TableRequestFailed(response, "query");
        }

        using var json = JsonDocument.Parse(response.Content.ToMemory());
        var items = new List<TableEntity>();
        foreach (var element in json.RootElement.GetProperty("value").EnumerateArray())
        {
            items.Add(TableEntityJson.Read(element));
        }

        response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var nextPk);
        response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nextRk);
        return new TablePage(items, TableContinuation.Encode(nextPk, nextRk));
    }

    /// <summary>Every matching entity, following continuations to the end.</summary>
    public async IAsyncEnumerable<TableEntity> QueryAsync(string? filter = null, IEnumerable<string>? select = null, int? maxPerPage = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var columns = select?.ToList();
        string? continuation = null;
        do
        {
            var page = await QueryPageAsync(filter, maxPerPage, columns, continuation, cancellationToken);
            foreach (var entity in page.Items)
            {
                yield return entity;
            }

            continuation = page.Continuation;
        }
        while (continuation is not null);
    }

    /// <summary>
    /// An entity group transaction: up to 100 operations on distinct entities of one partition, all
    /// applied or none. A refused operation (409, 412, 404) is a result naming its index; other failures throw.
    /// </summary>
    public async Task<TableBatchResult> SubmitTransactionAsync(IReadOnlyList<TableBatchOperation> operations, CancellationToken cancellationToken = default)
    {
        if (operations.Count is 0 or > TableBatchContent.MaxOperations)
        {
            throw new ArgumentException($"A transaction has 1 to {TableBatchContent.MaxOperations} operations; this one has {operations.Count}.", nameof(operations));
        }

        var partitions = operations.Select(o => o.Entity.PartitionKey).Distinct(StringComparer.Ordinal).Count();
        if (partitions != 1)
        {
            throw new ArgumentException("All operations of a transaction must share one PartitionKey.", nameof(operations));
        }

        var boundary = "batch_" + Guid.NewGuid().ToString("N");
        using var message = _transport.CreateMessage(RequestMethod.Post, "/$batch");
        message.Request.Headers.SetValue("Content-Type", "multipart/mixed; boundary=" + boundary);
        message.Request.Content = RequestContent.Create(TableBatchContent.Build(boundary, _transport.Endpoint, Name, operations));
        var response = await _transport.SendAsync(message, cancellationToken);
        if (response.Status != 202)
        {
            throw TableRequestFailed(response, "transaction");
        }

        var parts = TableBatchContent.ParseResponse(Encoding.UTF8.GetString(response.Content.ToMemory().Span));
        var failedAt = parts.FindIndex(p => p.Status >= 400);
        if (failedAt < 0)
        {
            for (var i = 0; i < parts.Count && i < operations.Count; i++)
            {
                operations[i].Entity.ETag = parts[i].ETag ?? operations[i].Entity.ETag;
            }

            return new TableBatchResult(TableWriteOutcome.Success, parts.Select(p => p.ETag).ToList());
        }

        var failed = parts[failedAt];
        var (code, detail) = TableTransport.ParseError(Encoding.UTF8.GetBytes(failed.Body));
        code = failed.ErrorCode ?? code;
        // The service says which operation failed in its message; a response with one part per operation says it by position.
        var index = TableBatchContent.IndexFromMessage(detail) ?? (parts.Count == operations.Count ? failedAt : null);
        var outcome = failed.Status switch
        {
            409 => TableWriteOutcome.Conflict,
            412 => TableWriteOutcome.PreconditionFailed,
            404 => TableWriteOutcome.NotFound,
            _ => throw TableTransport.Error(failed.Status, code, Encoding.UTF8.GetBytes(failed.Body), $"transaction (operation {index?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"})", Name, index),
        };
        return new TableBatchResult(outcome, [], index, code);
    }

    private static void SetBody(HttpMessage message, TableEntity entity)
    {
        message.Request.Headers.SetValue("Content-Type", "application/json");
        message.Request.Content = RequestContent.Create(TableEntityJson.Serialize(entity));
    }

    private static TableWriteResult Written(TableEntity entity, Response response)
    {
        var etag = response.Headers.ETag?.ToString();
        entity.ETag = etag;
        return new TableWriteResult(TableWriteOutcome.Success, etag);
    }

    private TableRequestException TableRequestFailed(Response response, string operation) => TableTransport.Error(response, operation, Name);
}
