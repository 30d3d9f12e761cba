using Microsoft.Data.Sqlite;
using WebhookProcessor.Telemetry;

namespace WebhookProcessor.Queue;

/// <summary>
/// The queue's group-commit engine: every write runs on one dedicated writer thread, and whatever
/// operations are waiting when a commit starts share that transaction and its single fsync, so
/// throughput grows with concurrency instead of being capped at one fsync per webhook. A caller's
/// task completes only after the commit that included its operation, so "completed" means durable.
/// Owns the writer connection and its prepared statements from construction on.
/// </summary>
internal sealed partial class GroupCommitWriter : IAsyncDisposable
{
    private const int MaxGroupSize = 1024;

    private readonly SqliteConnection _writer;
    private readonly QueueStatements _statements;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly WebhookMetrics? _metrics;
    private readonly object _gate = new();
    private readonly TaskCompletionSource _writerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<WriteOperation> _incoming = new(MaxGroupSize);
    private bool _closed;
    private bool _writerWaiting;
    private int _started;

    public GroupCommitWriter(SqliteConnection writer, TimeProvider clock, ILogger logger, WebhookMetrics? metrics = null)
    {
        _metrics = metrics;
        _writer = writer;
        _statements = new QueueStatements(writer);
        _clock = clock;
        _logger = logger;
    }

    /// <summary>
    /// Starts the writer thread. Operations submitted earlier wait for it. A dedicated thread: on a busy
    /// thread pool a pooled writer would queue behind request work after every commit, and each webhook
    /// waiting on the next commit would wait that much longer.
    /// </summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            new Thread(RunWriter) { IsBackground = true, Name = "queue-writer" }.Start();
        }
    }

    /// <summary>Queues <paramref name="work"/> for the next group; the task completes after its commit (or fails with its error).</summary>
    public Task<T> SubmitAsync<T>(Func<QueueStatements, DateTimeOffset, T> work)
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

    /// <summary>Commits what was already submitted, stops the writer thread and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        bool started;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            started = Interlocked.Exchange(ref _started, 1) == 1;
            Monitor.Pulse(_gate);
        }

        if (started)
        {
            await _writerStopped.Task;
        }
        else
        {
            // Never started: run the writer loop here so nothing submitted is left without an answer.
            RunWriter();
        }

        _statements.Dispose();
        await _writer.DisposeAsync();
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

        _metrics?.GroupCommitted(group.Count);
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
            // Not swallowed: the caller of each operation receives it (see CommitGroup).
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
        [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Queue commit of {Count} operations failed; retrying each on its own")]
        public static partial void CommitFailed(ILogger logger, int count, Exception exception);
    }
}
