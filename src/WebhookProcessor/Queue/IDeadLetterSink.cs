namespace WebhookProcessor.Queue;

/// <summary>Where dead letters go: the SQLite queue's table when embedded, Table Storage on Azure.</summary>
public interface IDeadLetterSink
{
    Task AddAsync(IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken = default);
}
