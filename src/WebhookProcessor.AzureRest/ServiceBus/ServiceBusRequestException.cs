using Azure;

namespace WebhookProcessor.AzureRest.ServiceBus;

/// <summary>
/// Service Bus did not accept a send. <see cref="RequestFailedException.Status"/> is the HTTP status
/// (0 when no answer came), <see cref="RequestFailedException.ErrorCode"/> the code from the error body
/// if any. The message says what to fix and never holds a key or a token.
/// </summary>
public sealed class ServiceBusRequestException : RequestFailedException
{
    public ServiceBusRequestException(int status, string message, string? errorCode, bool isTransient, Exception? innerException = null)
        : base(status, message, errorCode, innerException)
    {
        IsTransient = isTransient;
    }

    public ServiceBusRequestException()
        : base("Service Bus did not accept the request.")
    {
    }

    public ServiceBusRequestException(string message)
        : base(message)
    {
    }

    public ServiceBusRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Whether sending again later may succeed (throttling, outage, timeout) rather than needing a fix.</summary>
    public bool IsTransient { get; }
}
