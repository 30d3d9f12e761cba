namespace WebhookProcessor.AzureRest.ServiceBus;

/// <summary>
/// A Service Bus SAS connection string
/// (<c>Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=…;SharedAccessKey=…[;EntityPath=…]</c>).
/// <see cref="ToString"/> never shows the key.
/// </summary>
public sealed class ServiceBusConnectionString
{
    private ServiceBusConnectionString(string fullyQualifiedNamespace, string keyName, string key, string? entityPath)
    {
        FullyQualifiedNamespace = fullyQualifiedNamespace;
        SharedAccessKeyName = keyName;
        SharedAccessKey = key;
        EntityPath = entityPath;
    }

    /// <summary>The namespace host, e.g. <c>ns.servicebus.windows.net</c> (with <c>:port</c> when the endpoint has one).</summary>
    public string FullyQualifiedNamespace { get; }

    public string SharedAccessKeyName { get; }

    public string SharedAccessKey { get; }

    /// <summary>The queue or topic the key was issued for, when the string names one.</summary>
    public string? EntityPath { get; }

    /// <summary>Parses the string; every problem is reported by key name, never by echoing the value.</summary>
    /// <exception cref="FormatException">A part is missing, repeated or unreadable.</exception>
    public static ServiceBusConnectionString Parse(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new FormatException("The Service Bus connection string is empty.");
        }

        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Split at the first '=' only: base64 keys end in '='.
            var equals = segment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException("The Service Bus connection string has a part that is not 'Name=value'.");
            }

            var name = segment[..equals].Trim();
            if (!parts.TryAdd(name, segment[(equals + 1)..].Trim()))
            {
                throw new FormatException($"The Service Bus connection string names '{name}' twice.");
            }
        }

        var endpoint = Required(parts, "Endpoint");
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var endpointUri) || string.IsNullOrEmpty(endpointUri.Host))
        {
            throw new FormatException("The Service Bus connection string's Endpoint is not an absolute URI such as sb://<namespace>.servicebus.windows.net/.");
        }

        if (parts.ContainsKey("SharedAccessSignature"))
        {
            throw new FormatException("The Service Bus connection string holds a ready-made SharedAccessSignature; this client needs SharedAccessKeyName and SharedAccessKey.");
        }

        var entityPath = parts.TryGetValue("EntityPath", out var path) && path.Length > 0 ? path.Trim('/') : null;
        return new ServiceBusConnectionString(
            endpointUri.IsDefaultPort ? endpointUri.Host : endpointUri.Authority,
            Required(parts, "SharedAccessKeyName"),
            Required(parts, "SharedAccessKey"),
            entityPath);
    }

    public override string ToString() =>
        $"Endpoint=sb://{FullyQualifiedNamespace}/;SharedAccessKeyName={SharedAccessKeyName};SharedAccessKey=***" +
        (EntityPath is null ? string.Empty : $";EntityPath={EntityPath}");

    private static string Required(Dictionary<string, string> parts, string name) =>
        parts.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new FormatException($"The Service Bus connection string has no {name}.");
}
