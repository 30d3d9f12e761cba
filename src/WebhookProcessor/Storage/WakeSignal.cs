namespace WebhookProcessor.Storage;

/// <summary>
/// Wakes a background loop when new work was stored, so it need not poll in a tight loop. Shared by
/// the queue worker and the alert dispatcher, hence here rather than in either of their namespaces.
/// </summary>
public sealed class WakeSignal : IDisposable
{
    private TaskCompletionSource _pending = NewPending();

    public void Set() => Volatile.Read(ref _pending).TrySetResult();

    /// <summary>
    /// Waits for <see cref="Set"/> or the timeout, measured on <paramref name="clock"/> (so tests move it
    /// with a fake clock). A signal raised while nobody waits is kept for the next wait.
    /// </summary>
    /// <returns>True when woken by a signal, false on timeout.</returns>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        var pending = Volatile.Read(ref _pending);
        if (!pending.Task.IsCompleted)
        {
            // SuppressThrowing: a timeout is the normal idle case and should not cost an exception each time.
            await pending.Task.WaitAsync(timeout, clock, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
            if (!pending.Task.IsCompleted)
            {
                return false;
            }
        }

        // Consumed: later waits block again. A Set racing with this reset may be absorbed, which is
        // harmless because the caller looks for work right after waking.
        Interlocked.CompareExchange(ref _pending, NewPending(), pending);
        return true;
    }

    /// <summary>Nothing to release (no timer or handle is held between waits); kept so owners can dispose it uniformly.</summary>
    public void Dispose()
    {
    }

    private static TaskCompletionSource NewPending() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
