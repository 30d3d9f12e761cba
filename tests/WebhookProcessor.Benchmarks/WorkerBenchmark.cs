using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;
using WebhookProcessor.Processing;
using WebhookProcessor.Queue;
using WebhookProcessor.Storage;
using WebhookProcessor.Telemetry;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.Benchmarks;

internal sealed record WorkerReport(
    int Events,
    int BatchSize,
    int Templates,
    int Batches,
    double Seconds,
    double LeaseSeconds,
    double HandleSeconds,
    long HistoryRows,
    long AppliedRows,
    long TemplateRows,
    QueueStats QueueAfter,
    double FillSeconds,
    double OwnCores,
    double OtherCores)
{
    public bool Disturbed => OtherCores > WrkResult.DisturbedAbove;

    public double EventsPerSecond => Events / Seconds;

    /// <summary>All work was real: the queue is empty, nothing was dead-lettered, every event is in history.</summary>
    public bool Valid => QueueAfter.Depth == 0 && QueueAfter.DeadLetterCount == 0 && HistoryRows == Events;
}

/// <summary>
/// The worker benchmark, in process: a fresh SQLite queue is filled with distinct changes read from
/// realistic webhooks by the service's own <see cref="EnvelopeReader"/>, then drained through the real
/// path, <see cref="SqliteEventQueue.LeaseAsync"/> then <see cref="QueueWorker"/>'s HandleAsync (parse,
/// history insert, catalog upsert, completion), batch after batch until the queue is empty.
/// The telemetry comparison passes the service's <paramref name="metrics"/> and, with
/// <paramref name="traceParents"/>, stores a distinct W3C <c>traceparent</c> with each change, as intake
/// does under a webhook's span while telemetry is on.
/// </summary>
internal sealed class WorkerBenchmark(BenchmarkOptions options, string workDir, TextWriter progress, WebhookMetrics? metrics = null, bool traceParents = false)
{
    public async Task<WorkerReport> RunAsync()
    {
        var folder = Directory.CreateDirectory(Path.Combine(workDir, "worker-data")).FullName;
        var queueOptions = Options.Create(new QueueOptions { BatchSize = options.WorkerBatch });
        var queue = new SqliteEventQueue(new SqliteDatabase(Path.Combine(folder, "queue.db")), queueOptions, TimeProvider.System, NullLogger<SqliteEventQueue>.Instance, metrics);
        await using var queueScope = queue;
        queue.Start();
        // Alerts on, as in the service: the paused and rejected events (30 % of the mix) each write an
        // e-mail and a Teams alert for a default owner to the outbox, in the catalog transaction.
        var catalogFile = Path.Combine(folder, "catalog.db");
        using var notifications = new SqliteNotificationStore(new SqliteDatabase(catalogFile));
        await ((INotificationStore)notifications).UpsertOwnerAsync(
            new Owner { Id = "ops", DisplayName = "Ops", Emails = ["ops@example.com"], TeamsWebhookUrl = "https://example.invalid/workflows/1?sig=x" },
            DateTimeOffset.UnixEpoch);

        var store = new SqliteTemplateStore(new SqliteDatabase(catalogFile), TimeProvider.System, NullLogger<SqliteTemplateStore>.Instance);
        await using var storeScope = store;
        // As in the service, where the catalog's hosted service starts the WAL checkpointer.
        store.Start();
        using var signals = new AlertSignals();
        var processor = new TemplateEventProcessor(store, notifications, Options.Create(new NotificationOptions()), signals, TimeProvider.System, metrics);
        using var worker = new QueueWorker(queue, processor, queueOptions, TimeProvider.System, NullLogger<QueueWorker>.Instance);

        progress.WriteLine($"worker: filling a fresh queue with {options.WorkerEvents:N0} distinct events over {options.WorkerTemplates:N0} templates");
        var fillClock = Stopwatch.StartNew();
        await FillAsync(queue);
        var fillSeconds = fillClock.Elapsed.TotalSeconds;
        var before = await queue.Monitor.GetStatsAsync();
        if (before.Depth != options.WorkerEvents)
        {
            throw new InvalidOperationException($"The queue holds {before.Depth} events after filling, not {options.WorkerEvents}.");
        }

        progress.WriteLine($"worker: queue filled in {fillSeconds:0.0} s; draining with batches of {options.WorkerBatch}");
        var lease = new Stopwatch();
        var handle = new Stopwatch();
        var batches = 0;
        var machineBefore = ProcFs.MachineCpu();
        var ownBefore = ProcFs.OwnCpuTime();
        var total = Stopwatch.StartNew();
        while (true)
        {
            lease.Start();
            var leased = await queue.LeaseAsync(options.WorkerBatch);
            lease.Stop();
            if (leased.Count == 0)
            {
                break;
            }

            handle.Start();
            await worker.HandleAsync(leased, CancellationToken.None);
            handle.Stop();
            batches++;
        }

        total.Stop();
        var machineCores = (ProcFs.MachineCpu().Busy - machineBefore.Busy).TotalSeconds / total.Elapsed.TotalSeconds;
        var ownCores = ownBefore is { } o && ProcFs.OwnCpuTime() is { } n ? (n - o).TotalSeconds / total.Elapsed.TotalSeconds : 0;
        var after = await queue.Monitor.GetStatsAsync();
        var (history, applied, templates) = CountCatalog(Path.Combine(folder, "catalog.db"));
        var report = new WorkerReport(options.WorkerEvents, options.WorkerBatch, options.WorkerTemplates, batches,
            total.Elapsed.TotalSeconds, lease.Elapsed.TotalSeconds, handle.Elapsed.TotalSeconds, history, applied, templates, after, fillSeconds,
            ownCores, Math.Max(0, machineCores - ownCores));
        progress.WriteLine($"worker: {report.EventsPerSecond:N0} events/s ({batches} batches in {report.Seconds:0.00} s; lease {report.LeaseSeconds:0.00} s, handle {report.HandleSeconds:0.00} s); history {history:N0} rows ({applied:N0} applied to the catalog), {templates:N0} templates, queue depth {after.Depth}, dead letters {after.DeadLetterCount}; CPU: benchmark {ownCores:0.00} cores, other processes {report.OtherCores:0.00}{(report.Disturbed ? " (DISTURBED)" : "")}");
        return report;
    }

    /// <summary>
    /// Enqueues every event the way intake does (EnvelopeReader on the body bytes, then EnqueueAsync),
    /// many requests at once so group commit packs them, like a burst of webhooks would.
    /// </summary>
    private async Task FillAsync(SqliteEventQueue queue)
    {
        const int PerBatch = 500;
        var receivedAt = TimeProvider.System.GetUtcNow();
        var pending = new List<Task>();
        var changes = new List<ChangeMessage>(PerBatch);
        for (var i = 0; i < options.WorkerEvents; i++)
        {
            var read = EnvelopeReader.Read(Encoding.UTF8.GetBytes(WebhookBodies.Mixed(i, options.WorkerTemplates)), receivedAt);
            if (read.DeadLetters.Count > 0 || read.Changes.Count != 1)
            {
                throw new InvalidOperationException($"Generated body {i} was not read as one change: {read.DeadLetters.FirstOrDefault()?.Reason}");
            }

            changes.Add(traceParents
                ? read.Changes[0] with { TraceParent = $"00-{ActivityTraceId.CreateRandom().ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01" }
                : read.Changes[0]);
            if (changes.Count == PerBatch || i == options.WorkerEvents - 1)
            {
                pending.Add(queue.EnqueueAsync(new IngestBatch(changes, [])));
                changes = new List<ChangeMessage>(PerBatch);
            }
        }

        await Task.WhenAll(pending);
    }

    private static (long History, long Applied, long Templates) CountCatalog(string catalogPath)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = catalogPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM events WHERE catalog_applied = 1), (SELECT count(*) FROM templates)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}
