using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace WebhookProcessor.AzureRest.Tables;

/// <summary>The pipeline and endpoint both clients send through, and the one place responses become errors.</summary>
internal sealed class TableTransport
{
    private readonly HttpPipeline _pipeline;

    public TableTransport(HttpPipeline pipeline, Uri endpoint)
    {
        _pipeline = pipeline;
        Endpoint = new Uri(endpoint.AbsoluteUri.TrimEnd('/'));
    }

    /// <summary>The service endpoint without a trailing slash.</summary>
    public Uri Endpoint { get; }

    /// <param name="path">Already encoded, starting with '/', relative to <see cref="Endpoint"/>.</param>
    public HttpMessage CreateMessage(RequestMethod method, string path)
    {
        var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(Endpoint);
        message.Request.Uri.AppendPath(path, escape: false);
        return message;
    }

    public async Task<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        await _pipeline.SendAsync(message, cancellationToken);
        return message.Response;
    }

    /// <summary><c>/table(PartitionKey='pk',RowKey='rk')</c> with quotes doubled and the keys percent-encoded.</summary>
    public static string EntityPath(string table, string partitionKey, string rowKey) =>
        $"/{table}(PartitionKey='{EncodeKey(partitionKey)}',RowKey='{EncodeKey(rowKey)}')";

    public static TableRequestException Error(Response response, string operation, string table) =>
        Error(response.Status, response.Headers.TryGetValue("x-ms-error-code", out var code) ? code : null, response.Content.ToMemory(), operation, table);

    public static TableRequestException Error(int status, string? headerCode, ReadOnlyMemory<byte> body, string operation, string table, int? index = null)
    {
        var (code, detail) = ParseError(body);
        code = headerCode ?? code;
        var message = $"Table Storage {operation} on '{table}' failed with {status}{(code is null ? "" : " " + code)}{(detail is null ? "" : ": " + detail)}";
        return new TableRequestException(status, code, message) { FailedOperationIndex = index };
    }

    /// <summary>Reads <c>odata.error</c>; the first line of its message only (the rest is a request id and time).</summary>
    public static (string? Code, string? Message) ParseError(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty || body.Span[0] != (byte)'{')
        {
            return (null, null);
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            if (!json.RootElement.TryGetProperty("odata.error", out var error))
            {
                return (null, null);
            }

            var code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
            var message = error.TryGetProperty("message", out var m)
                ? m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out var v) ? v.GetString() : m.GetString()
                : null;
            return (code, message?.Split('\n')[0].Trim());
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string EncodeKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));
    }
}
