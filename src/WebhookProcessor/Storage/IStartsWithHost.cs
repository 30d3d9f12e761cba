namespace WebhookProcessor.Storage;

/// <summary>
/// A store with background work (a writer thread, a checkpointer) that must not start when it is
/// constructed or resolved, only when the host starts: <see cref="StartWithHost{T}"/> calls <see cref="Start"/>.
/// </summary>
public interface IStartsWithHost
{
    /// <summary>Starts the background work; idempotent.</summary>
    void Start();
}
