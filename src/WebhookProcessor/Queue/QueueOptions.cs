using Microsoft.Extensions.Options;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Queue;

/// <summary>Settings under <c>Queue</c>: delivery, retry and dead-lettering of queued changes.</summary>
public sealed class QueueOptions
{
    public const string SectionName = "Queue";

    /// <summary>
    /// Whether this instance applies queued changes. Turning it off pauses processing while webhooks
    /// are still accepted and queued (for an investigation, or an intake-only instance).
    /// </summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>Deliveries before a change that keeps failing is dead-lettered.</summary>
    public int MaxDeliveryCount { get; set; } = 10;

    /// <summary>How long a leased change stays invisible before another delivery may take it.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Changes leased and applied per catalog transaction.</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>How often the worker looks for retries that became due when nothing new arrives.</summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Delay before retry number <paramref name="deliveryCount"/>: <see cref="Backoff"/> from <see cref="RetryBaseDelay"/>, never above <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryDelay(int deliveryCount, double jitter) => Backoff.Delay(RetryBaseDelay, RetryMaxDelay, deliveryCount, jitter);
}

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
