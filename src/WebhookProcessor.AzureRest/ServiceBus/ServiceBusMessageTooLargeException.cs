namespace WebhookProcessor.AzureRest.ServiceBus;

/// <summary>A message is larger than one request may carry; it was not sent.</summary>
public sealed class ServiceBusMessageTooLargeException : InvalidOperationException
{
    public ServiceBusMessageTooLargeException(string messageId, int sizeBytes, int limitBytes)
        : base($"Service Bus message '{messageId}' is {sizeBytes} bytes encoded; the limit is {limitBytes} bytes (MaxBatchBytes, below the tier's maximum message size: 256 KB on Standard).")
    {
        MessageId = messageId;
        SizeBytes = sizeBytes;
        LimitBytes = limitBytes;
    }

    public ServiceBusMessageTooLargeException()
    {
        MessageId = string.Empty;
    }

    public ServiceBusMessageTooLargeException(string message)
        : base(message)
    {
        MessageId = string.Empty;
    }

    public ServiceBusMessageTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
        MessageId = string.Empty;
    }

    public string MessageId { get; }

    public int SizeBytes { get; }

    public int LimitBytes { get; }
}
