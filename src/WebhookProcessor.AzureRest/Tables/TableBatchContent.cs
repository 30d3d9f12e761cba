using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace WebhookProcessor.AzureRest.Tables;

/// <summary>
/// The multipart/mixed body of an entity group transaction (one changeset of <c>application/http</c>
/// parts) and the reading of its multipart response.
/// </summary>
internal static partial class TableBatchContent
{
    public const int MaxOperations = 100;

    public static byte[] Build(string batchBoundary, Uri endpoint, string table, IReadOnlyList<TableBatchOperation> operations)
    {
        var changeset = "changeset_" + Guid.NewGuid().ToString("N");
        var body = new StringBuilder();
        body.Append("--").Append(batchBoundary).Append("\r\n")
            .Append("Content-Type: multipart/mixed; boundary=").Append(changeset).Append("\r\n\r\n");
        foreach (var operation in operations)
        {
            var entity = operation.Entity;
            var (method, url) = operation.Action == TableBatchAction.Insert
                ? ("POST", $"{endpoint.AbsoluteUri.TrimEnd('/')}/{table}")
                : (operation.Action switch
                {
                    TableBatchAction.UpsertReplace or TableBatchAction.UpdateReplace => "PUT",
                    TableBatchAction.UpsertMerge or TableBatchAction.UpdateMerge => "MERGE",
                    _ => "DELETE",
                }, endpoint.AbsoluteUri.TrimEnd('/') + TableTransport.EntityPath(table, entity.PartitionKey, entity.RowKey));

            body.Append("--").Append(changeset).Append("\r\n")
                .Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n")
                .Append(method).Append(' ').Append(url).Append(" HTTP/1.1\r\n")
                .Append("Accept: ").Append(TableHeadersPolicy.MinimalMetadata).Append("\r\n")
                .Append("DataServiceVersion: 3.0\r\n");
            if (operation.Action is TableBatchAction.UpdateReplace or TableBatchAction.UpdateMerge or TableBatchAction.Delete)
            {
                body.Append("If-Match: ").Append(operation.IfMatch).Append("\r\n");
            }

            if (operation.Action == TableBatchAction.Delete)
            {
                body.Append("\r\n");
                continue;
            }

            if (operation.Action == TableBatchAction.Insert)
            {
                body.Append("Prefer: return-no-content\r\n");
            }

            body.Append("Content-Type: application/json\r\n\r\n")
                .Append(Encoding.UTF8.GetString(TableEntityJson.Serialize(entity))).Append("\r\n");
        }

        body.Append("--").Append(changeset).Append("--\r\n")
            .Append("--").Append(batchBoundary).Append("--\r\n");
        return Encoding.UTF8.GetBytes(body.ToString());
    }

    /// <summary>The sub-responses in order: status, ETag, body.</summary>
    public static List<(int Status, string? ETag, string? ErrorCode, string Body)> ParseResponse(string text)
    {
        var parts = new List<(int, string?, string?, string)>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var statusLine = StatusLine().Match(lines[i]);
            if (!statusLine.Success)
            {
                continue;
            }

            var status = int.Parse(statusLine.Groups[1].Value, CultureInfo.InvariantCulture);
            string? etag = null;
            string? code = null;
            for (i++; i < lines.Length && lines[i].Length > 0; i++)
            {
                var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    continue;
                }

                var name = lines[i][..colon].Trim();
                var value = lines[i][(colon + 1)..].Trim();
                if (name.Equals("ETag", StringComparison.OrdinalIgnoreCase))
                {
                    etag = value;
                }
                else if (name.Equals("x-ms-error-code", StringComparison.OrdinalIgnoreCase))
                {
                    code = value;
                }
            }

            var body = new StringBuilder();
            for (i++; i < lines.Length && !lines[i].StartsWith("--", StringComparison.Ordinal); i++)
            {
                body.Append(lines[i]).Append('\n');
            }

            i--;
            parts.Add((status, etag, code, body.ToString().Trim()));
        }

        return parts;
    }

    /// <summary>The service prefixes a failed transaction's message with the failing operation's index: <c>3:The specified entity already exists.</c></summary>
    public static int? IndexFromMessage(string? message) =>
        message is not null && FailedIndex().Match(message) is { Success: true } match
            ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : null;

    [GeneratedRegex(@"^HTTP/1\.1 (\d{3})")]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"^(\d+):")]
    private static partial Regex FailedIndex();
}
