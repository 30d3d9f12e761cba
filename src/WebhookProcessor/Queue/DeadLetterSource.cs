namespace WebhookProcessor.Queue;

public enum DeadLetterSource
{
    /// <summary>A signed webhook (or part of one) that could not be understood at intake.</summary>
    Intake,

    /// <summary>A queued change the worker rejected as malformed.</summary>
    Poison,

    /// <summary>A queued change that kept failing until its delivery limit.</summary>
    RetriesExhausted,

    /// <summary>A message Service Bus moved to the queue's dead-letter sub-queue (its reason and description say why).</summary>
    Broker,
}
