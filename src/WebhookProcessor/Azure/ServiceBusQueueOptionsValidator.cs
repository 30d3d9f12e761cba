using Microsoft.Extensions.Options;
using WebhookProcessor.AzureRest.ServiceBus;

namespace WebhookProcessor.Azure;

public sealed class ServiceBusQueueOptionsValidator : IValidateOptions<ServiceBusQueueOptions>
{
    private const int MaxRestMessageBytes = 1024 * 1024;

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
                var parsed = ServiceBusConnectionString.Parse(options.ConnectionString!);
                if (parsed.EntityPath is not null && !string.Equals(parsed.EntityPath, options.QueueName, StringComparison.OrdinalIgnoreCase))
                {
                    failures.Add($"{S}:ConnectionString is for the entity '{parsed.EntityPath}' but {S}:QueueName is '{options.QueueName}'.");
                }
            }
            catch (FormatException ex)
            {
                failures.Add($"{S}:ConnectionString is not usable: {ex.Message}");
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

        if (options.MaxBatchBytes is < 1024 or > MaxRestMessageBytes)
        {
            failures.Add($"{S}:MaxBatchBytes must be between 1024 and {MaxRestMessageBytes}: Standard tier messages are at most {ServiceBusRestSenderOptions.StandardTierMaxMessageBytes} bytes with their headers, and REST carries at most 1 MB even on Premium.");
        }

        if (options.EndpointOverride is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https")))
        {
            failures.Add($"{S}:EndpointOverride must be an absolute http or https address.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
