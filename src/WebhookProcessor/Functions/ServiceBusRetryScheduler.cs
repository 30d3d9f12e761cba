using Azure.Messaging.ServiceBus;
using WebhookProcessor.Azure;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Functions;

/// <summary>
/// Schedules retries on the intake's queue through the app's <see cref="ServiceBusSender"/>. The sender
/// is looked up only when a retry is scheduled: with <c>Queue:Provider</c> <c>Sqlite</c> there is none,
/// and the app must still start (the Service Bus trigger then never fires).
/// </summary>
public sealed class ServiceBusRetryScheduler(IServiceProvider services) : IRetryScheduler
{
    public async Task<string> ScheduleAsync(ChangeMessage change, IReadOnlyDictionary<string, string?> properties, RedeliveryDecision retry, CancellationToken cancellationToken)
    {
        var sender = services.GetService<ServiceBusSender>()
            ?? throw new InvalidOperationException("A retry is scheduled on Service Bus, but Queue:Provider is not ServiceBus, so there is no queue to schedule it on.");

        // The message exactly as the intake writes it (body, content type, subject, properties), then the
        // original's other properties (an operator's, say), then the retry's own.
        var message = ServiceBusEventQueue.ToMessage(change);
        foreach (var (name, value) in properties)
        {
            if (value is not null && name is not (RetryProperties.Attempt or RetryProperties.FirstFailedAt))
            {
                message.ApplicationProperties.TryAdd(name, value);
            }
        }

        message.MessageId = RetryProperties.MessageId(change.EventId, retry.Attempt);
        message.ApplicationProperties[RetryProperties.Attempt] = retry.Attempt;
        message.ApplicationProperties[RetryProperties.FirstFailedAt] = retry.FirstFailedAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        await sender.ScheduleMessageAsync(message, retry.RetryAt, cancellationToken);
        return message.MessageId;
    }
}
