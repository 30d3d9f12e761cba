using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Queue;

/// <summary>
/// The embedded durable queue: one SQLite file in WAL mode with <c>synchronous=FULL</c>.
/// Every write goes through one writer loop that practises group commit: whatever requests are
/// waiting when a commit starts share that transaction and its single fsync, so throughput grows
/// with concurrency instead of being capped at one fsync per webhook.
/// </summary>
public sealed partial class SqliteEventQueue : IEventQueue, IQueueMonitor, IDeadLetterSink, IAsyncDisposable
{
    private const int MaxGroupSize = 1024;

    private readonly SqliteDatabase _database;
    private readonly SqliteConnection _writer;
    private readonly QueueStatements _statements;
    private readonly QueueOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<SqliteEventQueue> _logger;
    private readonly object _gate = new();
    private List<WriteOperation> _incoming = new(MaxGroupSize);
    private bool _closed;
    private bool _writerWaiting;
    private readonly TaskCompletionSource _writerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly WalCheckpointer _checkpointer;
    private int _disposed;

    public SqliteEventQueue(SqliteDatabase database, IOptions<QueueOptions> options, TimeProvider clock, ILogger<SqliteEventQueue> logger)
    {
        _database = database;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _writer = database.OpenWriter(SqliteDatabase.SmallLog);
        SqliteDatabase.Execute(_writer, QueueSchema.Create);
        ReleaseOrphanedLeases(clock.GetUtcNow());
        _statements = new QueueStatements(_writer);
        _checkpointer = new WalCheckpointer(database, clock, logger);
        // A dedicated thread: on a busy thread pool a pooled writer would queue behind request work
        // after every commit, and each webhook waiting on the next commit would wait that much longer.
        new Thread(RunWriter) { IsBackground = true, Name = "queue-writer" }.Start();
    }

    /// <summary>
    /// This process's worker is the file's only consumer, so a lease found at start-up belongs to a
    /// process that died: its changes become visible now instead of after the visibility timeout.
    /// Delivery counts are kept, so a change that kills the process still reaches its delivery limit.
    /// </summary>
    private void ReleaseOrphanedLeases(DateTimeOffset now)
    {
        using var command = _writer.CreateCommand();
        command.CommandText = "UPDATE messages SET visible_at = @now, lease_token = NULL WHERE lease_token IS NOT NULL AND visible_at > @now";
        command.Parameters.AddWithValue("@now", now.ToUnixTimeMilliseconds());
        var released = command.ExecuteNonQuery();
        if (released > 0)
        {
            Log.LeasesReleased(_logger, released);
        }
    }

    /// <summary>Raised after each commit that added work for the worker.</summary>
    public WakeSignal Arrivals { get; } = new();

    public async Task EnqueueAsync(IngestBatch batch, CancellationToken cancellationToken = default)
    {
        if (batch.Changes.Count == 0 && batch.DeadLetters.Count == 0)
        {
            return;
        }

        // Not cancellable once submitted: the caller's answer depends on the commit, not on waiting for it.
        await SubmitAsync((s, now) =>
        {
            foreach (var change in batch.Changes)
            {
                s.InsertMessage(change, now);
            }

            foreach (var deadLetter in batch.DeadLetters)
            {
                s.InsertDeadLetter(deadLetter);
            }

            return true;
        });
        if (batch.Changes.Count > 0)
        {
            Arrivals.Set();
        }
    }

    /// <summary>Stores dead letters found outside the queue (the Functions trigger's poison changes), durably.</summary>
    public Task AddAsync(IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken = default) =>
        deadLetters.Count == 0
            ? Task.CompletedTask
            : SubmitAsync((s, _) =>
            {
                foreach (var deadLetter in deadLetters)
                {
                    s.InsertDeadLetter(deadLetter with { Reason = Truncate(deadLetter.Reason) });
                }

                return true;
            });

    /// <summary>Leases up to <paramref name="maxCount"/> visible changes. A change already delivered the maximum number of times is dead-lettered instead.</summary>
    public Task<IReadOnlyList<LeasedMessage>> LeaseAsync(int maxCount, CancellationToken cancellationToken = default) =>
        SubmitAsync<IReadOnlyList<LeasedMessage>>((s, now) =>
        {
            var token = Guid.NewGuid().ToString("N");
            var leased = new List<LeasedMessage>();
            foreach (var candidate in s.Lease(now, maxCount, token, now + _options.VisibilityTimeout))
            {
                // The count includes this delivery: above the limit, earlier deliveries never completed.
                if (candidate.DeliveryCount > _options.MaxDeliveryCount)
                {
                    var reason = string.Create(CultureInfo.InvariantCulture,
                        $"Delivered {candidate.DeliveryCount - 1} times without completing (limit {_options.MaxDeliveryCount}); last error: {candidate.LastError ?? "none recorded: the lease expired, so processing hung or the process stopped"}");
                    s.MoveToDeadLetters(candidate.Sequence, token, DeadLetterSource.RetriesExhausted, reason, now, candidate.DeliveryCount - 1);
                    continue;
                }

                leased.Add(new LeasedMessage(candidate.Sequence, token, candidate.DeliveryCount, candidate.Message));
            }

            return leased;
        });

    public Task CompleteAsync(IReadOnlyCollection<LeasedMessage> messages, CancellationToken cancellationToken = default) =>
        messages.Count == 0
            ? Task.CompletedTask
            : SubmitAsync((s, _) =>
            {
                foreach (var lease in messages.GroupBy(m => m.LeaseToken))
                {
                    s.Delete(lease.Select(m => m.Sequence), lease.Key);
                }

                return true;
            });

    /// <summary>Makes a failed change visible again after <paramref name="delay"/>, keeping the error for ops.</summary>
    public Task AbandonAsync(LeasedMessage message, string error, TimeSpan delay, CancellationToken cancellationToken = default) =>
        SubmitAsync((s, now) =>
        {
            s.Abandon(message.Sequence, message.LeaseToken, Truncate(error), now + delay);
            return true;
        });

    public Task DeadLetterAsync(LeasedMessage message, DeadLetterSource source, string reason, CancellationToken cancellationToken = default) =>
        SubmitAsync((s, now) =>
        {
            s.MoveToDeadLetters(message.Sequence, message.LeaseToken, source, Truncate(reason), now);
            return true;
        });

    public async Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM messages), (SELECT min(enqueued_at) FROM messages), (SELECT count(*) FROM dead_letters)";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new QueueStats(
            reader.GetInt64(0),
            reader.IsDBNull(1) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
            reader.GetInt64(2));
    }

    public async Task<Page<DeadLetterSummary>> ListDeadLettersAsync(int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // length() of a BLOB reads the size from the record header: the body itself is never loaded.
        command.CommandText = """
            SELECT id, message_id, source, reason, received_at, dead_lettered_at, waba_id, field, delivery_count, length(body)
            FROM dead_letters WHERE (@before IS NULL OR id < @before) ORDER BY id DESC LIMIT @limit
            """;
        command.Parameters.AddWithValue("@before", cursor is null ? DBNull.Value : Cursor.DecodeSequence(cursor));
        command.Parameters.AddWithValue("@limit", limit + 1);
        var items = new List<DeadLetterSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new DeadLetterSummary(
                reader.GetInt64(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                Enum.Parse<DeadLetterSource>(reader.GetString(2)),
                reader.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetInt32(8),
                reader.GetInt64(9)));
        }

        return Page.FromOneExtra(items, limit, d => Cursor.EncodeSequence(d.Id));
    }

    public async Task<StoredDeadLetter?> GetDeadLetterAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, message_id, source, reason, received_at, dead_lettered_at, body, waba_id, field, delivery_count
            FROM dead_letters WHERE id = @id
            """;
        command.Parameters.AddWithValue("@id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StoredDeadLetter(reader.GetInt64(0), new DeadLetter(
            reader.IsDBNull(1) ? null : reader.GetString(1),
            Enum.Parse<DeadLetterSource>(reader.GetString(2)),
            reader.GetString(3),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
            (byte[])reader.GetValue(6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetString(8),
            reader.GetInt32(9)));
    }

    /// <summary>Idempotent: the container disposes the queue once per interface it is registered under.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        lock (_gate)
        {
            _closed = true;
            Monitor.Pulse(_gate);
        }

        await _writerStopped.Task;
        await _checkpointer.DisposeAsync();
        _statements.Dispose();
        await _writer.DisposeAsync();
        Arrivals.Dispose();
    }

    private static string Truncate(string text) => text.Length <= 4000 ? text : text[..4000] + "…";

    private Task<T> SubmitAsync<T>(Func<QueueStatements, DateTimeOffset, T> work)
    {
        var operation = new WriteOperation<T>(work);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _incoming.Add(operation);
            if (_writerWaiting)
            {
                Monitor.Pulse(_gate);
            }
        }

        return operation.Task;
    }

    /// <summary>
    /// The writer takes everything that arrived while it was committing as its next group. Waiting on
    /// the lock itself means a submitter wakes the writer directly: one thread switch per group.
    /// </summary>
    private void RunWriter()
    {
        var group = new List<WriteOperation>(MaxGroupSize);
        try
        {
            while (TakeGroup(ref group))
            {
                CommitGroup(group);
                group.Clear();
            }
        }
        finally
        {
            _writerStopped.TrySetResult();
        }
    }

    /// <summary>Blocks until operations are waiting and moves them into <paramref name="group"/>; false once closed and drained.</summary>
    private bool TakeGroup(ref List<WriteOperation> group)
    {
        lock (_gate)
        {
            while (_incoming.Count == 0)
            {
                if (_closed)
                {
                    return false;
                }

                _writerWaiting = true;
                Monitor.Wait(_gate);
                _writerWaiting = false;
            }

            if (_incoming.Count <= MaxGroupSize)
            {
                (group, _incoming) = (_incoming, group);
            }
            else
            {
                group.AddRange(_incoming.GetRange(0, MaxGroupSize));
                _incoming.RemoveRange(0, MaxGroupSize);
            }

            return true;
        }
    }

    /// <summary>
    /// Runs every waiting operation in one transaction and commits once; callers learn their outcome
    /// only after the commit. If anything fails, the group is rolled back and each operation is retried
    /// in a transaction of its own, so one failing operation cannot fail its neighbours.
    /// </summary>
    private void CommitGroup(List<WriteOperation> group)
    {
        var now = _clock.GetUtcNow();
        var failure = TryCommit(group, now);
        if (failure is not null)
        {
            Log.CommitFailed(_logger, group.Count, failure);
            if (group.Count == 1)
            {
                group[0].Error = failure;
            }
            else
            {
                foreach (var operation in group)
                {
                    operation.Error = TryCommit([operation], now);
                }
            }
        }

        foreach (var operation in group)
        {
            operation.Finish();
        }
    }

    private Exception? TryCommit(IReadOnlyList<WriteOperation> operations, DateTimeOffset now)
    {
        try
        {
            using var transaction = _writer.BeginTransaction();
            _statements.Use(transaction);
            foreach (var operation in operations)
            {
                operation.Run(_statements, now);
            }

            transaction.Commit();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private abstract class WriteOperation
    {
        public Exception? Error { get; set; }

        public abstract void Run(QueueStatements statements, DateTimeOffset now);

        public abstract void Finish();
    }

    private sealed class WriteOperation<T>(Func<QueueStatements, DateTimeOffset, T> work) : WriteOperation
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public override void Run(QueueStatements statements, DateTimeOffset now) => _result = work(statements, now);

        public override void Finish()
        {
            if (Error is null)
            {
                _completion.TrySetResult(_result!);
            }
            else
            {
                _completion.TrySetException(Error);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Released {Count} changes leased by a previous run that did not finish them")]
        public static partial void LeasesReleased(ILogger logger, int count);

        [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Queue commit of {Count} operations failed; retrying each on its own")]
        public static partial void CommitFailed(ILogger logger, int count, Exception exception);
    }
}
