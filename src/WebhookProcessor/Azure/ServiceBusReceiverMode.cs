namespace WebhookProcessor.Azure;

/// <summary>Who takes messages off the queue (<c>Queue:ServiceBus:Receiver</c>).</summary>
public enum ServiceBusReceiverMode
{
    /// <summary>The Functions host's <c>serviceBusTrigger</c> posts each message to <c>/ProcessTemplateEvent</c>.</summary>
    FunctionsHost,

    /// <summary>A <c>ServiceBusProcessor</c> in this process: for hosting the executable without the Functions runtime.</summary>
    Processor,
}
