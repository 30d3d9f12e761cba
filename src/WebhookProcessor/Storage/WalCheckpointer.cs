namespace WebhookProcessor.Storage;

/// <summary>
/// Checkpoints a WAL database from its own connection every few hundred milliseconds, so the writer's
/// commits (and the webhooks waiting on them) never pay for copying the log into the database file.
/// </summary>
public sealed partial class WalCheckpointer : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _disposed;

    public WalCheckpointer(SqliteDatabase database, TimeProvider clock, ILogger logger)
    {
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(Interval, clock);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    try
                    {
                        database.CheckpointPassive();
                    }
                    catch (Microsoft.Data.Sqlite.SqliteException ex)
                    {
                        // The writer's automatic checkpoint still bounds the log; try again at the next tick.
                        Log.CheckpointFailed(logger, database.FilePath, ex);
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Stopping.
            }
        });
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
