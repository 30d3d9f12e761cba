using Azure;
using Azure.Core;

namespace WebhookProcessor.AzureRest.ServiceBus;

/// <summary>
/// Exponential backoff with jitter (the base class adds it and takes the larger of this and any
/// <c>Retry-After</c>), and at least <paramref name="throttledMinimum"/> after a throttling answer.
/// </summary>
internal sealed class ServiceBusDelayStrategy(TimeSpan initial, TimeSpan max, TimeSpan throttledMinimum)
    : DelayStrategy(max)
{
    protected override TimeSpan GetNextDelayCore(Response? response, int retryNumber)
    {
        var exponent = Math.Clamp(retryNumber - 1, 0, 30);
        var backoff = TimeSpan.FromMilliseconds(Math.Min(initial.TotalMilliseconds * Math.Pow(2, exponent), max.TotalMilliseconds));
        return response?.Status is 429 or 503 ? Max(backoff, throttledMinimum) : backoff;
    }
}
