using Microsoft.Extensions.Options;
using Azure.Messaging.ServiceBus;

namespace WebhookProcessor.Azure;

public sealed class ServiceBusQueueOptionsValidator : IValidateOptions<ServiceBusQueueOptions>
{
    /// <summary>Premium's largest message; the link refuses a batch size above what the namespace allows anyway.</summary>
    private const int MaxMessageBytes = 100 * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, ServiceBusQueueOptions options)
    {
        const string S = ServiceBusQueueOptions.SectionName;
        var failures = new List<string>();
        var hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        var hasNamespace = !string.IsNullOrWhiteSpace(options.FullyQualifiedNamespace);
        if (hasConnectionString == hasNamespace)
        {
            failures.Add($"Set exactly one of {S}:ConnectionString (a SAS key) and {S}:FullyQualifiedNamespace (managed identity, e.g. my-namespace.servicebus.windows.net).");
        }

        if (hasConnectionString)
        {
            try
            {
                var parsed = ServiceBusConnectionStringProperties.Parse(options.ConnectionString!);
                if (parsed.Endpoint is null)
                {
                    failures.Add($"{S}:ConnectionString has no Endpoint=sb://<namespace>.servicebus.windows.net/.");
                }

                if (string.IsNullOrEmpty(parsed.SharedAccessSignature)
                    && (string.IsNullOrEmpty(parsed.SharedAccessKeyName) || string.IsNullOrEmpty(parsed.SharedAccessKey)))
                {
                    failures.Add($"{S}:ConnectionString has no SharedAccessKeyName and SharedAccessKey (or SharedAccessSignature): copy it whole from the namespace's or queue's shared access policy.");
                }

                if (parsed.EntityPath is not null && !string.Equals(parsed.EntityPath, options.QueueName, StringComparison.OrdinalIgnoreCase))
                {
                    failures.Add($"{S}:ConnectionString is for the entity '{parsed.EntityPath}' but {S}:QueueName is '{options.QueueName}'.");
                }
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                // The SDK's message can quote the string it could not read: name the setting, never the value.
                failures.Add($"{S}:ConnectionString is not a Service Bus connection string (Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…).");
            }
        }

        if (hasNamespace && (options.FullyQualifiedNamespace!.Contains('/', StringComparison.Ordinal) || options.FullyQualifiedNamespace.Contains(';', StringComparison.Ordinal)))
        {
            failures.Add($"{S}:FullyQualifiedNamespace is a host name such as my-namespace.servicebus.windows.net, without scheme or path.");
        }

        if (!string.IsNullOrWhiteSpace(options.ClientId) && !hasNamespace)
        {
            failures.Add($"{S}:ClientId selects a managed identity, so it needs {S}:FullyQualifiedNamespace instead of {S}:ConnectionString.");
        }

        if (string.IsNullOrWhiteSpace(options.QueueName) || options.QueueName.Length > 260)
        {
            failures.Add($"{S}:QueueName must be a queue name of 1 to 260 characters.");
        }

        if (options.MaxBatchBytes is < 1024 or > MaxMessageBytes)
        {
            failures.Add($"{S}:MaxBatchBytes must be between 1024 and {MaxMessageBytes}, or unset to use the namespace's own limit (256 KB on Standard).");
        }

        if (options.EndpointOverride is { } endpoint && !endpoint.IsAbsoluteUri)
        {
            failures.Add($"{S}:EndpointOverride must be an absolute address such as sb://10.0.0.4 or https://gateway.example.com.");
        }

        if (!Enum.IsDefined(options.TransportType))
        {
            failures.Add($"{S}:TransportType must be {nameof(ServiceBusTransportType.AmqpTcp)} or {nameof(ServiceBusTransportType.AmqpWebSockets)}.");
        }

        if (!Enum.IsDefined(options.Receiver))
        {
            failures.Add($"{S}:Receiver must be {nameof(ServiceBusReceiverMode.FunctionsHost)} or {nameof(ServiceBusReceiverMode.Processor)}.");
        }

        var processor = options.Processor;
        if (processor.MaxConcurrentCalls is < 1 or > 256 || processor.PrefetchCount is < 0 or > 10_000
            || processor.MaxAutoLockRenewalDuration < TimeSpan.Zero || processor.MaxAutoLockRenewalDuration > TimeSpan.FromDays(1))
        {
            failures.Add($"{S}:Processor needs MaxConcurrentCalls between 1 and 256, PrefetchCount between 0 and 10000 and MaxAutoLockRenewalDuration between 00:00:00 and 1.00:00:00.");
        }

        if (processor.RetryBaseDelay < TimeSpan.Zero || processor.RetryMaxDelay < processor.RetryBaseDelay
            || (options.Receiver == ServiceBusReceiverMode.Processor && processor.RetryMaxDelay >= processor.MaxAutoLockRenewalDuration))
        {
            // Held past the lock renewal, the message's lock would lapse and the abandon fail.
            failures.Add($"{S}:Processor needs 0 <= RetryBaseDelay <= RetryMaxDelay < MaxAutoLockRenewalDuration.");
        }

        var retry = options.Retry;
        if (retry.MaxRetries is < 0 or > 100)
        {
            failures.Add($"{S}:Retry:MaxRetries must be between 0 and 100.");
        }

        if (retry.Delay <= TimeSpan.Zero || retry.MaxDelay < retry.Delay || retry.TryTimeout <= TimeSpan.Zero || retry.TryTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"{S}:Retry needs Delay > 0, MaxDelay >= Delay and TryTimeout between 0 and 1 hour (time spans such as 00:00:30).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
