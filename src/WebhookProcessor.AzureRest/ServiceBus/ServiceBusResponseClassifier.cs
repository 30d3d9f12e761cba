using Azure.Core;

namespace WebhookProcessor.AzureRest.ServiceBus;

/// <summary>
/// The sender's error classification, written down once: 201 is success; 408, 429, 500, 502, 503
/// and 504 (and network errors and attempt timeouts, which the base class covers) are transient;
/// everything else is a configuration or request problem that a retry cannot fix.
/// </summary>
internal sealed class ServiceBusResponseClassifier : ResponseClassifier
{
    public static readonly ServiceBusResponseClassifier Instance = new();

    public override bool IsErrorResponse(HttpMessage message) => message.Response.Status != 201;

    public override bool IsRetriableResponse(HttpMessage message) => IsTransient(message.Response.Status);

    public static bool IsTransient(int status) => status is 408 or 429 or 500 or 502 or 503 or 504;
}
