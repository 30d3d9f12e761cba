using Azure;

namespace WebhookProcessor.AzureRest.Tables;

/// <summary>
/// A Table service request failed with a status the client does not turn into a result. Carries the
/// HTTP status and the service's error code (<c>x-ms-error-code</c> or <c>odata.error.code</c>); the
/// message names the operation and table, never credentials or entity contents.
/// </summary>
public sealed class TableRequestException : RequestFailedException
{
    public TableRequestException(int status, string? errorCode, string message, Exception? innerException = null)
        : base(status, message, errorCode, innerException)
    {
    }

    /// <summary>For operations inside an entity group transaction: the index of the operation that failed.</summary>
    public int? FailedOperationIndex { get; init; }
}
