using WebhookProcessor.AzureRest.ServiceBus;

namespace WebhookProcessor.Azure;

/// <summary>
/// Settings under <c>Queue:ServiceBus</c>. Either <see cref="ConnectionString"/> (a SAS key) or
/// <see cref="FullyQualifiedNamespace"/> (Microsoft Entra: the app's managed identity, which needs the
/// Azure Service Bus Data Sender role on the queue or namespace).
/// </summary>
public sealed class ServiceBusQueueOptions
{
    public const string SectionName = "Queue:ServiceBus";

    public const string DefaultQueueName = "template-events";

    /// <summary><c>Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…</c>, from a Send-only rule. A secret.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>e.g. <c>my-namespace.servicebus.windows.net</c>; used with a managed identity when there is no connection string.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>The queue; it should be created with duplicate detection on so Meta's retries are dropped.</summary>
    public string QueueName { get; set; } = DefaultQueueName;

    /// <summary>The client id of a user-assigned managed identity; empty uses the default Azure credential chain.</summary>
    public string? ClientId { get; set; }

    /// <summary>The most bytes one send request carries: below the tier's maximum message size (256 KB on Standard).</summary>
    public int MaxBatchBytes { get; set; } = ServiceBusRestSenderOptions.DefaultMaxBatchBytes;

    /// <summary>Sends to this base address instead of the namespace's (a local stand-in or a proxy).</summary>
    public Uri? EndpointOverride { get; set; }
}
