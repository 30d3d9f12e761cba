namespace WebhookProcessor.Storage;

/// <summary>
/// Checkpoints a WAL database from its own connection every few hundred milliseconds, so the writer's
/// commits (and the webhooks waiting on them) never pay for copying the log into the database file.
/// </summary>
public sealed partial class WalCheckpointer : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly CancellationTokenSource _stop = new();
    private readonly SqliteDatabase _database;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private Task _loop = Task.CompletedTask;
    private int _started;
    private int _disposed;

    /// <summary>Created stopped: its store calls <see cref="Start"/> when the host starts it, never a constructor.</summary>
    public WalCheckpointer(SqliteDatabase database, TimeProvider clock, ILogger logger)
    {
        _database = database;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Starts the checkpoint loop; idempotent, and a no-op once disposed.</summary>
    public void Start()
    {
        if (Volatile.Read(ref _disposed) == 1 || Interlocked.Exchange(ref _started, 1) == 1)
        {
            return;
        }

        _loop = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Interval, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    _database.CheckpointPassive();
                }
                catch (Microsoft.Data.Sqlite.SqliteException ex)
                {
                    // The writer's automatic checkpoint still bounds the log; try again at the next tick.
                    Log.CheckpointFailed(_logger, _database.FilePath, ex);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Background checkpoint of {File} failed")]
        public static partial void CheckpointFailed(ILogger logger, string file, Exception exception);
    }
}
