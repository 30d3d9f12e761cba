using System.Globalization;
using System.IO.Compression;
using Azure.Data.Tables;
using WebhookProcessor.Queue;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Azure;

/// <summary>
/// Dead letters in one partition (they are rare), newest first. On Azure the queue itself is Service
/// Bus, which owns depth and age: this monitor reports 0 and none for those.
/// </summary>
/// <remarks>
/// A letter row is keyed by its id inverted (<c>long.MaxValue - id</c>, 19 digits), so the partition
/// lists newest first; the id is the dead-lettering time in ticks plus a random part, and its decimal
/// text is the id the API shows. A letter with a message id also has a claim row, <c>m_</c> and the
/// escaped message id, naming its letter row; both are written in one entity group transaction, so the
/// same message dead-lettered twice (a poison message redelivered, an intake letter added again) keeps
/// its one row. Claim keys sort after every digit, so the letters are exactly the keys below <c>m_</c>.
/// Letters written before claims existed have none: only a message first dead-lettered after the
/// upgrade is guaranteed one row.
/// </remarks>
public sealed class TableDeadLetterStore : IQueueMonitor, IDeadLetterSink
{
    private const string Partition = "dl";
    private const string ClaimPrefix = "m_";
    private const int MaxAttempts = 10;

    /// <summary>Bodies are gzipped; beyond this they are cut, so the entity stays under 1 MiB.</summary>
    private const int MaxStoredBodyBytes = 700 * 1024;

    /// <summary>What a listing reads: everything but the body chunks.</summary>
    private static readonly string[] SummaryProperties =
        ["PartitionKey", "RowKey", "Id", "MessageId", "Source", "Reason", "ReceivedAt", "DeadLetteredAt", "WabaId", "Field", "DeliveryCount", "BodyBytes"];

    private static readonly string LetterRows = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey lt {ClaimPrefix}");

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
            await AddOneAsync(deadLetter, cancellationToken);
        }
    }

    public async Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        long count = 0;
        await foreach (var _ in _table.AllAsync(LetterRows, ["RowKey"], cancellationToken))
        {
            count++;
        }

        return new QueueStats(0, null, count);
    }

    public async Task<Page<DeadLetterSummary>> ListDeadLettersAsync(int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        var filter = cursor is null
            ? LetterRows
            : TableFilters.And(LetterRows, TableClient.CreateQueryFilter($"RowKey gt {TableRowKeys.DecodeCursor(cursor)}"));

        // Only the listed properties are asked for: the service then never sends the body chunks.
        var rows = await TablePaging.TakeAsync(_table, filter, limit + 1, cancellationToken, SummaryProperties);
        return Page.FromOneExtra(rows, limit, r => TableRowKeys.EncodeCursor(r.RowKey)).Select(ReadSummary);
    }

    public async Task<StoredDeadLetter?> GetDeadLetterAsync(string id, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        var row = LetterRow(id) is { } rowKey ? await _table.FindAsync(Partition, rowKey, cancellationToken: cancellationToken) : null;
        return row is null ? null : Read(row);
    }

    /// <summary>Deletes one dead letter by its listed id, and its claim, so the same message can be dead-lettered again; false when there is none.</summary>
    public async Task<bool> RemoveDeadLetterAsync(string id, CancellationToken cancellationToken = default)
    {
        await _setup.EnsureAsync(cancellationToken);
        if (LetterRow(id) is not { } rowKey)
        {
            return false;
        }

        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            if (await _table.FindAsync(Partition, rowKey, ["RowKey", "MessageId"], cancellationToken) is not { } row)
            {
                return false;
            }

            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Delete, new TableEntity(Partition, rowKey), row.ETag) };
            if (row.ReadString("MessageId") is { } messageId
                && await _table.FindAsync(Partition, ClaimKey(messageId), cancellationToken: cancellationToken) is { } claim
                && claim.ReadString("LetterRow") == rowKey)
            {
                actions.Add(new(TableTransactionActionType.Delete, new TableEntity(Partition, claim.RowKey), claim.ETag));
            }

            if ((await _table.TransactAsync(actions, cancellationToken)).Succeeded)
            {
                return true;
            }
        }

        throw new InvalidOperationException($"Dead letter {id} kept changing while it was removed; gave up after {MaxAttempts} attempts.");
    }

    private async Task AddOneAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        // The id is the time in ticks, plus a random part for letters of the same tick.
        var id = deadLetter.DeadLetteredAt.UtcTicks + Random.Shared.Next(0, 10_000);
        var row = new TableEntity(Partition, RowKey(id))
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

        for (var attempt = 1; ; attempt++)
        {
            if (deadLetter.MessageId is not { } messageId)
            {
                if (await _table.InsertAsync(row, cancellationToken))
                {
                    return;
                }
            }
            else
            {
                var claim = new TableEntity(Partition, ClaimKey(messageId)) { { "LetterRow", row.RowKey } };
                var outcome = await _table.TransactAsync(
                    [new(TableTransactionActionType.Add, claim), new(TableTransactionActionType.Add, row)],
                    cancellationToken);
                if (outcome.Succeeded)
                {
                    return;
                }

                // The claim is there: this message has its letter already.
                if (outcome.FailedIndex == 0
                    || (outcome.FailedIndex is null && await _table.FindAsync(Partition, claim.RowKey, ["RowKey"], cancellationToken) is not null))
                {
                    return;
                }
            }

            // Another letter took this id (same tick and random part): the next id.
            if (attempt >= MaxAttempts)
            {
                throw new InvalidOperationException($"No free dead-letter id near {id} after {attempt} attempts.");
            }

            row["Id"] = ++id;
            row.RowKey = RowKey(id);
        }
    }

    private static string RowKey(long id) => TableRowKeys.Number(long.MaxValue - id);

    private static string ClaimKey(string messageId) => ClaimPrefix + TableKey.Escape(messageId);

    /// <summary>The letter row of a listed id, or null when the text is not an id this store gives.</summary>
    private static string? LetterRow(string id) =>
        id.Length is > 0 and <= 19 && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? RowKey(number) : null;

    private static DeadLetterSummary ReadSummary(TableEntity row) => new(
        row.ReadInt64("Id")!.Value.ToString(CultureInfo.InvariantCulture),
        row.ReadString("MessageId"),
        Enum.Parse<DeadLetterSource>(row.ReadString("Source")!),
        row.ReadString("Reason")!,
        row.ReadTime("ReceivedAt")!.Value,
        row.ReadTime("DeadLetteredAt")!.Value,
        row.ReadString("WabaId"),
        row.ReadString("Field"),
        row.ReadInt32("DeliveryCount") ?? 0,
        row.ReadInt64("BodyBytes"));

    private static StoredDeadLetter Read(TableEntity row) => new(
        row.ReadInt64("Id")!.Value.ToString(CultureInfo.InvariantCulture),
        new DeadLetter(
            row.ReadString("MessageId"),
            Enum.Parse<DeadLetterSource>(row.ReadString("Source")!),
            row.ReadString("Reason")!,
            row.ReadTime("ReceivedAt")!.Value,
            row.ReadTime("DeadLetteredAt")!.Value,
            Decompress(TableLargeProperty.GetBinary(row, "BodyGzip") ?? []),
            row.ReadString("WabaId"),
            row.ReadString("Field"),
            row.ReadInt32("DeliveryCount") ?? 0));

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
