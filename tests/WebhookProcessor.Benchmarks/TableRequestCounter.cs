using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace WebhookProcessor.Benchmarks;

/// <summary>
/// Counts the requests the Table client sends, by kind, as the service bills them: each request is one
/// transaction, whatever its answer (a 409 or 412 is billed too). Added per retry, so a retried request counts again.
/// </summary>
internal sealed class TableRequestCounter : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> Counts => new SortedDictionary<string, long>(_counts, StringComparer.Ordinal);

    public long Total => _counts.Values.Sum();

    public void Reset() => _counts.Clear();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ProcessNext(message, pipeline);
        Count(message);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline);
        Count(message);
    }

    private void Count(HttpMessage message)
    {
        var path = message.Request.Uri.Path;
        var kind = Kind(message.Request.Method, path, message.Request.Uri.Query) + Table(path);
        var status = message.HasResponse ? message.Response.Status : 0;
        var refused = status is 409 or 412 or 404 && kind != "query" ? $" ({status})" : string.Empty;
        _counts.AddOrUpdate(kind + refused, 1, (_, n) => n + 1);
    }

    /// <summary>The table a request is for, from its path (<c>/account/table…</c>); a transaction names its table only in its body.</summary>
    public static string Table(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2 || segments[1].StartsWith('$') || segments[1].StartsWith("Tables", StringComparison.Ordinal))
        {
            return string.Empty;
        }

        var name = segments[1];
        var end = name.IndexOf('(', StringComparison.Ordinal);
        return " " + (end < 0 ? name : name[..end]);
    }

    /// <summary>What a request does, from its method and path (the REST API's shapes).</summary>
    public static string Kind(RequestMethod method, string path, string query)
    {
        var pointed = path.EndsWith(")", StringComparison.Ordinal) && path.Contains("(PartitionKey=", StringComparison.Ordinal);
        if (path.EndsWith("/$batch", StringComparison.Ordinal))
        {
            return "transaction";
        }

        if (path.EndsWith("/Tables", StringComparison.Ordinal) || path.Contains("/Tables(", StringComparison.Ordinal))
        {
            return "table create/delete";
        }

        return method.Method switch
        {
            "GET" when pointed => "point read",
            "GET" => "query",
            "POST" => "insert",
            "PUT" when pointed => "upsert/replace",
            "PATCH" => "merge",
            "DELETE" => "delete",
            _ => method.Method + " " + path + query,
        };
    }
}
