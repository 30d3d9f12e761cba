using Azure.Messaging.ServiceBus;

namespace WebhookProcessor.Azure;

/// <summary>
/// Settings under <c>Queue:ServiceBus</c>. Either <see cref="ConnectionString"/> (a SAS key) or
/// <see cref="FullyQualifiedNamespace"/> (Microsoft Entra: the app's managed identity, which needs the
/// Azure Service Bus Data Sender role on the queue, and Data Receiver when it receives or reschedules).
/// </summary>
public sealed class ServiceBusQueueOptions
{
    public const string SectionName = "Queue:ServiceBus";

    public const string DefaultQueueName = "template-events";

    /// <summary><c>Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…</c>. A secret.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>e.g. <c>my-namespace.servicebus.windows.net</c>; used with a managed identity when there is no connection string.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>The queue; it should be created with duplicate detection on so Meta's retries are dropped.</summary>
    public string QueueName { get; set; } = DefaultQueueName;

    /// <summary>The client id of a user-assigned managed identity; when unset, <c>AZURE_CLIENT_ID</c>, else the default Azure credential chain.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// The most bytes one send carries. Unset: the largest message the namespace accepts, as the link
    /// reports it (256 KB on Standard, up to 100 MB on Premium).
    /// </summary>
    public int? MaxBatchBytes { get; set; }

    /// <summary>Connects to this address instead of the namespace's (a private endpoint or a proxy); the namespace still names the audience.</summary>
    public Uri? EndpointOverride { get; set; }

    /// <summary><c>AmqpTcp</c> (port 5671) or <c>AmqpWebSockets</c> (port 443, for networks that open only that).</summary>
    public ServiceBusTransportType TransportType { get; set; } = ServiceBusTransportType.AmqpTcp;

    /// <summary>How the SDK retries one operation (send, receive, settle) before giving up.</summary>
    public ServiceBusRetrySettings Retry { get; set; } = new();

    /// <summary>
    /// Who receives the queue's messages: <c>FunctionsHost</c> (the Functions host's Service Bus trigger
    /// posts each one to the custom handler) or <c>Processor</c> (this process, for hosts without the
    /// Functions runtime: App Service, Container Apps, a VM).
    /// </summary>
    public ServiceBusReceiverMode Receiver { get; set; } = ServiceBusReceiverMode.FunctionsHost;

    /// <summary>Concurrency, prefetch and lock renewal of the in-process receiver (<see cref="Receiver"/> = <c>Processor</c>).</summary>
    public ServiceBusProcessorSettings Processor { get; set; } = new();
}
