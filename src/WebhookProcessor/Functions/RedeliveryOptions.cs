namespace WebhookProcessor.Functions;

/// <summary>
/// Settings under <c>Queue:ServiceBus:Redelivery</c>: how a change whose processing failed for a
/// reason that may pass (the store threw) is tried again. The Functions host would redeliver it at
/// once, so a storage outage of seconds could use up the queue's <c>maxDeliveryCount</c>; instead a
/// copy is scheduled on the queue after a growing delay, and only a change that keeps failing for
/// <see cref="GiveUpAfter"/> becomes a dead letter.
/// </summary>
public sealed class RedeliveryOptions
{
    public const string SectionName = "Queue:ServiceBus:Redelivery";

    /// <summary>The wait after the first failure; doubled after each further one (±20 % jitter).</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two tries.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long after its first failure a change is still retried; after that it is dead-lettered.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(1);
}
