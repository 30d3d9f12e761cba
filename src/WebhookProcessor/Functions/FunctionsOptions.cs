namespace WebhookProcessor.Functions;

/// <summary>Settings under <c>Functions</c>: how the custom handler treats the host's trigger invocations.</summary>
public sealed class FunctionsOptions
{
    public const string SectionName = "Functions";

    /// <summary>
    /// The largest trigger invocation (the host's JSON, with the queued message inside it) the handler
    /// reads. Separate from <c>Meta:MaxBodyBytes</c>, which limits webhooks: the host encodes a message
    /// once more inside its JSON, so an invocation is larger than the change it carries. 4 MiB holds
    /// any Standard-tier message (256 KB) and a Premium message of the default 1 MB size several times
    /// over; raise it with the queue's maximum message size on Premium.
    /// </summary>
    public int MaxInvocationBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// How long a <c>ProcessTemplateEvent</c> invocation may spend sending the alerts its own change
    /// planned, before answering the host (when <c>Notifications:Delivery:RunInBackground</c> is false).
    /// Alerts not sent by then stay in the outbox for the <c>DispatchNotifications</c> timer. Zero leaves
    /// every alert to the timer.
    /// </summary>
    public TimeSpan AlertDispatchTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
