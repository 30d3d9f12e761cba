using System.IO.Compression;
using WebhookProcessor.AzureRest.Tables;
using WebhookProcessor.Queue;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Azure;

/// <summary>
/// Dead letters in one partition (they are rare), newest first. On Azure the queue itself is Service
/// Bus, which owns depth and age: this monitor reports 0 and none for those.
/// </summary>
public sealed class TableDeadLetterStore : IQueueMonitor, IDeadLetterSink
{
    private const string Partition = "dl";

    /// <summary>Bodies are gzipped; beyond this they are cut, so the entity stays under 1 MiB.</summary>
    private const int MaxStoredBodyBytes = 700 * 1024;

    /// <summary>What a listing reads: everything but the body chunks.</summary>
    private static readonly string[] SummaryProperties =
        ["PartitionKey", "RowKey", "Id", "MessageId", "Source", "Reason", "ReceivedAt", "DeadLetteredAt", "WabaId", "Field", "DeliveryCount", "BodyBytes"];

    private readonly TableClient _table;
    private readonly TableSetup _setup;

    public TableDeadLetterStore(TableServiceClient service, TableNames names)
    {
        _table = service.GetTableClient(names.DeadLetters);
        _setup = new TableSetup(service, names);
    }

    public async Task AddAsync(IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        foreach (var deadLetter in deadLetters)
        {
            // The id is the time in ticks, plus a random part for letters of the same tick; the row key sorts it newest first.
            var id = deadLetter.DeadLetteredAt.UtcTicks + Random.Shared.Next(0, 10_000);
            var row = new TableEntity(Partition, TableRowKeys.Number(long.MaxValue - id))
            {
                { "Id", id },
                { "MessageId", deadLetter.MessageId },
                { "Source", deadLetter.Source.ToString() },
                { "Reason", deadLetter.Reason },
                { "ReceivedAt", deadLetter.ReceivedAt },
                { "DeadLetteredAt", deadLetter.DeadLetteredAt },
                { "WabaId", deadLetter.WabaId },
                { "Field", deadLetter.Field },
                { "DeliveryCount", deadLetter.DeliveryCount },
            };
            var compressed = Compress(deadLetter.Body);
            var kept = deadLetter.Body.Length;
            if (compressed.Length > MaxStoredBodyBytes)
            {
                kept = Math.Min(deadLetter.Body.Length, MaxStoredBodyBytes);
                compressed = Compress(deadLetter.Body.AsSpan(0, kept).ToArray());
                row["BodyTruncatedFrom"] = deadLetter.Body.Length;
            }

            // Kept beside the body so a listing can show the size without fetching the body.
            row["BodyBytes"] = (long)kept;

            TableLargeProperty.SetBinary(row, "BodyGzip", compressed);
            while (!(await _table.InsertAsync(row, cancellationToken)).Succeeded)
            {
                row["Id"] = ++id;
                row.RowKey = TableRowKeys.Number(long.MaxValue - id);
            }
        }
    }

    public async Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        long count = 0;
        await foreach (var _ in _table.QueryAsync(TableFilter.Create($"PartitionKey eq {Partition}"), ["RowKey"], cancellationToken: cancellationToken))
        {
            count++;
        }

        return new QueueStats(0, null, count);
    }

    public async Task<Page<DeadLetterSummary>> ListDeadLettersAsync(int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        var filter = TableFilter.Create($"PartitionKey eq {Partition}");
        if (cursor is not null)
        {
            filter += " and " + TableFilter.Create($"RowKey gt {TableRowKeys.DecodeCursor(cursor)}");
        }

        // Only the listed properties are asked for: the service then never sends the body chunks.
        var rows = await TablePaging.TakeAsync(_table, filter, limit + 1, cancellationToken, SummaryProperties);
        return Page.FromOneExtra(rows, limit, r => TableRowKeys.EncodeCursor(r.RowKey)).Select(ReadSummary);
    }

    public async Task<StoredDeadLetter?> GetDeadLetterAsync(string id, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        if (!long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        var row = await _table.GetEntityAsync(Partition, TableRowKeys.Number(long.MaxValue - number), cancellationToken: cancellationToken);
        return row is null ? null : Read(row);
    }

    /// <inheritdoc/>
    public async Task<bool> RemoveDeadLetterAsync(string id, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        if (!long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        return (await _table.DeleteEntityAsync(Partition, TableRowKeys.Number(long.MaxValue - number), cancellationToken: cancellationToken)).Succeeded;
    }

    private static DeadLetterSummary ReadSummary(TableEntity row) => new(
        row.GetInt64("Id")!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        row.GetString("MessageId"),
        Enum.Parse<DeadLetterSource>(row.GetString("Source")!),
        row.GetString("Reason")!,
        row.GetDateTimeOffset("ReceivedAt")!.Value,
        row.GetDateTimeOffset("DeadLetteredAt")!.Value,
        row.GetString("WabaId"),
        row.GetString("Field"),
        row.GetInt32("DeliveryCount") ?? 0,
        row.GetInt64("BodyBytes"));

    private static StoredDeadLetter Read(TableEntity row) => new(
        row.GetInt64("Id")!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        new DeadLetter(
            row.GetString("MessageId"),
            Enum.Parse<DeadLetterSource>(row.GetString("Source")!),
            row.GetString("Reason")!,
            row.GetDateTimeOffset("ReceivedAt")!.Value,
            row.GetDateTimeOffset("DeadLetteredAt")!.Value,
            Decompress(TableLargeProperty.GetBinary(row, "BodyGzip") ?? []),
            row.GetString("WabaId"),
            row.GetString("Field"),
            row.GetInt32("DeliveryCount") ?? 0));

    private static byte[] Compress(byte[] body)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(body);
        }

        return buffer.ToArray();
    }

    private static byte[] Decompress(byte[] compressed)
    {
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var body = new MemoryStream();
        gzip.CopyTo(body);
        return body.ToArray();
    }
}
