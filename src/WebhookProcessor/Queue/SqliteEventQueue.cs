using Microsoft.Extensions.Options;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Queue;

/// <summary>
/// The embedded durable queue: a few SQLite files (<c>queue.db</c>, <c>queue-1.db</c>, …), each with its
/// own group-commit writer. A commit's cost is mostly its fsync, and fsyncs of different files proceed
/// side by side, so webhooks spread over the files are stored faster than one file could store them.
/// Order across files does not matter: Meta guarantees none, and the catalog orders by event time.
/// Dead letters live in the first file, so a webhook with any dead letter goes there whole and stays
/// one atomic commit.
/// </summary>
public sealed class SqliteEventQueue : IEventQueue, IQueueMonitor, IAsyncDisposable
{
    public const string FirstFileName = "queue.db";

    private readonly QueueShard[] _shards;
    private readonly QueueOptions _options;
    private readonly TimeProvider _clock;
    private int _nextShard;
    private int _nextLeaseShard;
    private int _disposed;

    public SqliteEventQueue(string folder, IOptions<QueueOptions> options, TimeProvider clock, ILogger<SqliteEventQueue> logger)
    {
        // Files left by an earlier, larger setting are still opened so their messages are not stranded.
        _options = options.Value;
        _clock = clock;
        var count = Math.Max(_options.SqliteFiles, ExistingFiles(folder));
        _shards = Enumerable.Range(0, count)
            .Select(i => new QueueShard(i, new SqliteDatabase(Path.Combine(folder, FileName(i))), options.Value, clock, logger))
            .ToArray();
    }

    /// <summary>Raised after each commit that added work for the worker.</summary>
    public WakeSignal Arrivals { get; } = new();

    public async Task EnqueueAsync(IngestBatch batch, CancellationToken cancellationToken = default)
    {
        if (batch.Changes.Count == 0 && batch.DeadLetters.Count == 0)
        {
            return;
        }

        var shard = batch.DeadLetters.Count > 0 ? _shards[0] : _shards[(int)((uint)Interlocked.Increment(ref _nextShard) % _shards.Length)];
        // Not cancellable once submitted: the caller's answer depends on the commit, not on waiting for it.
        await shard.EnqueueAsync(batch);
        if (batch.Changes.Count > 0)
        {
            Arrivals.Set();
        }
    }

    /// <summary>
    /// Leases up to <paramref name="maxCount"/> visible changes across the files, starting with a different
    /// file each time. A change already delivered the maximum number of times without completing (the
    /// process died or hung on it) is dead-lettered instead of delivered again.
    /// </summary>
    public async Task<IReadOnlyList<LeasedMessage>> LeaseAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        var start = (int)((uint)Interlocked.Increment(ref _nextLeaseShard) % _shards.Length);
        var leased = new List<LeasedMessage>(maxCount);
        for (var i = 0; i < _shards.Length && leased.Count < maxCount; i++)
        {
            foreach (var message in await _shards[(start + i) % _shards.Length].LeaseAsync(maxCount - leased.Count))
            {
                // The count includes this delivery: above the limit, earlier deliveries never completed.
                if (message.DeliveryCount > _options.MaxDeliveryCount)
                {
                    var earlier = message with { DeliveryCount = message.DeliveryCount - 1 };
                    await DeadLetterAsync(earlier, DeadLetterSource.RetriesExhausted, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"Delivered {earlier.DeliveryCount} times without completing (limit {_options.MaxDeliveryCount}); last error: {message.LastError ?? "none recorded: the lease expired, so processing hung or the process stopped"}"), cancellationToken);
                    continue;
                }

                leased.Add(message);
            }
        }

        return leased;
    }

    public Task CompleteAsync(IReadOnlyCollection<LeasedMessage> messages, CancellationToken cancellationToken = default) =>
        Task.WhenAll(messages.GroupBy(m => m.Shard).Select(group => _shards[group.Key].CompleteAsync(group.ToList())));

    /// <summary>Makes a failed change visible again after <paramref name="delay"/>, keeping the error for ops.</summary>
    public Task AbandonAsync(LeasedMessage message, string error, TimeSpan delay, CancellationToken cancellationToken = default) =>
        _shards[message.Shard].AbandonAsync(message, error, delay);

    /// <summary>
    /// Moves a change to the dead letters. From the first file that is one transaction; from another
    /// file the dead letter is stored first and the message removed second, so a crash in between can
    /// at worst dead-letter the change a second time, never lose it.
    /// </summary>
    public async Task DeadLetterAsync(LeasedMessage message, DeadLetterSource source, string reason, CancellationToken cancellationToken = default)
    {
        if (message.Shard == 0)
        {
            await _shards[0].DeadLetterAsync(message, source, reason, message.DeliveryCount);
            return;
        }

        var change = message.Message;
        await _shards[0].InsertDeadLetterAsync(new DeadLetter(
            change.EventId, source, reason, change.ReceivedAt, _clock.GetUtcNow(), System.Text.Encoding.UTF8.GetBytes(change.Change),
            change.WabaId, change.Field, message.DeliveryCount));
        await _shards[message.Shard].CompleteAsync([message]);
    }

    public async Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        var stats = await Task.WhenAll(_shards.Select(s => s.GetStatsAsync(cancellationToken)));
        return new QueueStats(
            stats.Sum(s => s.Depth),
            stats.Select(s => s.OldestEnqueuedAt).Where(t => t is not null).Min(),
            stats.Sum(s => s.DeadLetterCount));
    }

    public Task<Page<StoredDeadLetter>> ListDeadLettersAsync(int limit, string? cursor, CancellationToken cancellationToken = default) =>
        _shards[0].ListDeadLettersAsync(limit, cursor, cancellationToken);

    /// <summary>Idempotent: the container disposes the queue once per interface it is registered under.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var shard in _shards)
        {
            await shard.DisposeAsync();
        }

        Arrivals.Dispose();
    }

    private static string FileName(int index) => index == 0 ? FirstFileName : $"queue-{index}.db";

    private static int ExistingFiles(string folder)
    {
        var count = 0;
        while (File.Exists(Path.Combine(folder, FileName(count))))
        {
            count++;
        }

        return count;
    }
}
