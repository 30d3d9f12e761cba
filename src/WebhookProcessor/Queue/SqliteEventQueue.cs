using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using WebhookProcessor.Storage;
using WebhookProcessor.Telemetry;

namespace WebhookProcessor.Queue;

/// <summary>
/// The embedded durable queue: one SQLite file in WAL mode with <c>synchronous=FULL</c>. It is the
/// intake (<see cref="IEventQueue"/>), the consumer (<see cref="IQueueConsumer"/>) and the dead-letter
/// sink of the embedded mode; its parts live apart: every write goes through the group-commit engine
/// (<see cref="GroupCommitWriter"/>), and ops reads (statistics, dead letters) through
/// <see cref="SqliteQueueMonitor"/>, which <see cref="Monitor"/> exposes.
/// Background work (the writer thread, the WAL checkpointer) starts in <see cref="Start"/>,
/// called by <see cref="StartWithHost{T}"/> in the host; writes submitted before wait for it.
/// </summary>
public sealed partial class SqliteEventQueue : IEventQueue, IQueueConsumer, IDeadLetterSink, IStartsWithHost, IAsyncDisposable
{
    private readonly GroupCommitWriter _writer;
    private readonly QueueOptions _options;
    private readonly TimeProvider _clock;
    private readonly WakeSignal _arrivals = new();
    private readonly WalCheckpointer _checkpointer;
    private readonly WebhookMetrics? _metrics;
    private int _disposed;

    public SqliteEventQueue(SqliteDatabase database, IOptions<QueueOptions> options, TimeProvider clock, ILogger<SqliteEventQueue> logger, WebhookMetrics? metrics = null)
    {
        _options = options.Value;
        _clock = clock;
        _metrics = metrics;
        var writer = database.OpenWriter(SqliteDatabase.SmallLog);
        SqliteDatabase.Execute(writer, QueueSchema.Create);
        SqliteDatabase.AddColumnIfMissing(writer, "messages", QueueSchema.TraceParentColumn, "TEXT NULL");
        ReleaseOrphanedLeases(writer, clock.GetUtcNow(), logger);
        _writer = new GroupCommitWriter(writer, clock, logger, metrics);
        _checkpointer = new WalCheckpointer(database, clock, logger);
        Monitor = new SqliteQueueMonitor(database, RemoveDeadLetterAsync);
    }

    /// <summary>Statistics and dead letters for ops, on reader connections.</summary>
    public SqliteQueueMonitor Monitor { get; }

    /// <summary>Starts the writer thread and the WAL checkpointer; idempotent.</summary>
    public void Start()
    {
        _writer.Start();
        _checkpointer.Start();
    }

    /// <summary>
    /// This process's worker is the file's only consumer, so a lease found at start-up belongs to a
    /// process that died: its changes become visible now instead of after the visibility timeout.
    /// Delivery counts are kept, so a change that kills the process still reaches its delivery limit.
    /// </summary>
    private static void ReleaseOrphanedLeases(SqliteConnection writer, DateTimeOffset now, ILogger logger)
    {
        using var command = writer.CreateCommand();
        command.CommandText = "UPDATE messages SET visible_at = @now, lease_token = NULL WHERE lease_token IS NOT NULL AND visible_at > @now";
        command.Parameters.AddWithValue("@now", now.ToUnixTimeMilliseconds());
        var released = command.ExecuteNonQuery();
        if (released > 0)
        {
            Log.LeasesReleased(logger, released);
        }
    }

    public async Task EnqueueAsync(IngestBatch batch, CancellationToken cancellationToken = default)
    {
        if (batch.Changes.Count == 0 && batch.DeadLetters.Count == 0)
        {
            return;
        }

        Activity.Current?.SetTag(TelemetryTags.MessagingSystem, "sqlite");
        Activity.Current?.SetTag(TelemetryTags.MessagingDestination, "messages");

        // Not cancellable once submitted: the caller's answer depends on the commit, not on waiting for it.
        await _writer.SubmitAsync((s, now) =>
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
            _arrivals.Set();
        }

        _metrics?.DeadLettered(DeadLetterSourceNames.Metric(DeadLetterSource.Intake), batch.DeadLetters.Count);
    }

    /// <summary>Stores dead letters found outside the queue (the Functions trigger's poison changes), durably.</summary>
    public async Task AddAsync(IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken = default)
    {
        if (deadLetters.Count == 0)
        {
            return;
        }

        await _writer.SubmitAsync((s, _) =>
        {
            foreach (var deadLetter in deadLetters)
            {
                s.InsertDeadLetter(deadLetter with { Reason = Truncate(deadLetter.Reason) });
            }

            return true;
        });
        foreach (var bySource in deadLetters.GroupBy(d => d.Source))
        {
            _metrics?.DeadLettered(DeadLetterSourceNames.Metric(bySource.Key), bySource.Count());
        }
    }

    /// <summary>Deletes one dead letter, durably; false when there is no row with this id.</summary>
    private Task<bool> RemoveDeadLetterAsync(long id) =>
        _writer.SubmitAsync((s, _) => s.DeleteDeadLetter(id));

    /// <inheritdoc/>
    public async Task<IReadOnlyList<LeasedMessage>> LeaseAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        var exhausted = 0;
        var leased = await _writer.SubmitAsync<IReadOnlyList<LeasedMessage>>((s, now) =>
        {
            exhausted = 0;
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
                    exhausted++;
                    continue;
                }

                leased.Add(new LeasedMessage(candidate.Sequence, token, candidate.DeliveryCount, candidate.Message));
            }

            return leased;
        });
        _metrics?.DeadLettered(DeadLetterSourceNames.Metric(DeadLetterSource.RetriesExhausted), exhausted);
        return leased;
    }

    public Task CompleteAsync(IReadOnlyCollection<LeasedMessage> messages, CancellationToken cancellationToken = default) =>
        messages.Count == 0
            ? Task.CompletedTask
            : _writer.SubmitAsync((s, _) =>
            {
                foreach (var lease in messages.GroupBy(m => m.LeaseToken))
                {
                    s.Delete(lease.Select(m => m.Sequence), lease.Key);
                }

                return true;
            });

    /// <inheritdoc/>
    public Task AbandonAsync(LeasedMessage message, string error, TimeSpan delay, CancellationToken cancellationToken = default) =>
        _writer.SubmitAsync((s, now) =>
        {
            s.Abandon(message.Sequence, message.LeaseToken, Truncate(error), now + delay);
            return true;
        });

    public async Task DeadLetterAsync(LeasedMessage message, DeadLetterSource source, string reason, CancellationToken cancellationToken = default)
    {
        await _writer.SubmitAsync((s, now) =>
        {
            s.MoveToDeadLetters(message.Sequence, message.LeaseToken, source, Truncate(reason), now);
            return true;
        });
        _metrics?.DeadLettered(DeadLetterSourceNames.Metric(source));
    }

    /// <inheritdoc/>
    public Task<bool> WaitForArrivalAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _arrivals.WaitAsync(timeout, _clock, cancellationToken);

    /// <summary>Idempotent: the container disposes the queue once per interface it is registered under.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _writer.DisposeAsync();
        await _checkpointer.DisposeAsync();
        _arrivals.Dispose();
    }

    private static string Truncate(string text) => text.Length <= 4000 ? text : text[..4000] + "…";

    private static partial class Log
    {
        [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Released {Count} changes leased by a previous run that did not finish them")]
        public static partial void LeasesReleased(ILogger logger, int count);
    }
}
