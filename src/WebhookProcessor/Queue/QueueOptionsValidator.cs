using Microsoft.Extensions.Options;

namespace WebhookProcessor.Queue;

internal sealed class QueueOptionsValidator : IValidateOptions<QueueOptions>
{
    public ValidateOptionsResult Validate(string? name, QueueOptions options)
    {
        var failures = new List<string>();
        if (options.MaxDeliveryCount < 1)
        {
            failures.Add("Queue:MaxDeliveryCount must be at least 1.");
        }

        if (options.VisibilityTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add("Queue:VisibilityTimeout must be at least 00:00:01.");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryMaxDelay < options.RetryBaseDelay)
        {
            failures.Add("Queue:RetryBaseDelay must be positive and not above Queue:RetryMaxDelay.");
        }

        if (options.BatchSize is < 1 or > 5000)
        {
            failures.Add("Queue:BatchSize must be between 1 and 5000.");
        }

        if (options.IdlePollInterval < TimeSpan.FromMilliseconds(10))
        {
            failures.Add("Queue:IdlePollInterval must be at least 00:00:00.010.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
