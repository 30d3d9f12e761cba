using Azure.Core;

namespace WebhookProcessor.AzureRest.ServiceBus;

/// <summary>
/// Settings of <see cref="ServiceBusRestSender"/>. Retries come from <see cref="ClientOptions.Retry"/>
/// (<c>MaxRetries</c>, <c>Delay</c>, <c>MaxDelay</c>, <c>NetworkTimeout</c> per attempt).
/// </summary>
public sealed class ServiceBusRestSenderOptions : ClientOptions
{
    /// <summary>The largest message on the Standard and Basic tiers, headers included.</summary>
    public const int StandardTierMaxMessageBytes = 256 * 1024;

    /// <summary>The default request budget: the Standard limit less room for HTTP and broker headers.</summary>
    public const int DefaultMaxBatchBytes = StandardTierMaxMessageBytes - (16 * 1024);

    /// <summary>Service Bus takes at most this many messages in one batch (transaction).</summary>
    public const int MaxMessagesPerBatch = 100;

    /// <summary>
    /// The most bytes one request may carry, counted as the messages' JSON batch encoding. Messages are
    /// split into batches under it; one message above it is refused before sending.
    /// </summary>
    public int MaxBatchBytes { get; set; } = DefaultMaxBatchBytes;

    /// <summary>Sends to this base address instead of <c>https://{namespace}/</c>: a loopback stand-in in tests, or a proxy.</summary>
    public Uri? EndpointOverride { get; set; }

    /// <summary>How long each SAS token is valid; it is renewed well before it expires.</summary>
    public TimeSpan SasTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The least wait after a 429 or 503 answer without <c>Retry-After</c>; Service Bus asks for about 2 s when throttling.</summary>
    public TimeSpan ThrottledMinimumDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The clock for SAS expiry.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
