namespace WebhookProcessor.Ops;

/// <summary>Puts one dead letter back on the queue, and removes it from the dead letters once the queue has it.</summary>
public interface IDeadLetterReplayer
{
    Task<ReplayResult> ReplayAsync(string id, CancellationToken cancellationToken = default);
}
