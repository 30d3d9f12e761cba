namespace WebhookProcessor.Queue;

/// <summary>
/// Where a queue without dead letters of its own keeps what intake could not turn into changes.
/// Service Bus only holds messages that were sent to it, so the Service Bus queue stores intake
/// dead letters here (on Azure, in Table Storage).
/// </summary>
public interface IDeadLetterSink
{
    /// <summary>Stores <paramref name="deadLetters"/> durably; completes only once they are stored.</summary>
    Task AddAsync(IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken);
}
