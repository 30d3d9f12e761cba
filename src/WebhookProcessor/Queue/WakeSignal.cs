namespace WebhookProcessor.Queue;

/// <summary>Wakes the worker when something was enqueued, so it need not poll in a tight loop.</summary>
public sealed class WakeSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);
    private int _set;

    public void Set()
    {
        if (Interlocked.Exchange(ref _set, 1) == 0)
        {
            _semaphore.Release();
        }
    }

    /// <summary>Waits for <see cref="Set"/> or the timeout. A signal raised while nobody waits is kept for the next wait.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _semaphore.WaitAsync(timeout, cancellationToken);
        Interlocked.Exchange(ref _set, 0);
    }

    public void Dispose() => _semaphore.Dispose();
}
