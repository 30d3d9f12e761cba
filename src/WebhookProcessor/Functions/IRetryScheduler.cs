using WebhookProcessor.Queue;

namespace WebhookProcessor.Functions;

/// <summary>Puts a copy of a change back on the queue, to be delivered later.</summary>
public interface IRetryScheduler
{
    /// <summary>
    /// Schedules a copy of <paramref name="change"/> for <see cref="RedeliveryDecision.RetryAt"/>, keeping
    /// the original's application properties and adding the retry's. Returns the copy's message id;
    /// throws when it could not be scheduled (the caller must then keep the original).
    /// </summary>
    Task<string> ScheduleAsync(ChangeMessage change, IReadOnlyDictionary<string, string?> properties, RedeliveryDecision retry, CancellationToken cancellationToken);
}
