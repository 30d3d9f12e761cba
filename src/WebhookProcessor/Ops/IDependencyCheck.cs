namespace WebhookProcessor.Ops;

/// <summary>
/// Something outside the process the service cannot work without (a Service Bus namespace), checked by
/// <c>/healthz</c>. The answer names the setting to fix and never holds a secret: health needs no key.
/// </summary>
public interface IDependencyCheck
{
    /// <summary>The name shown in the health answer, e.g. <c>serviceBus</c>.</summary>
    string Name { get; }

    /// <summary>Null when the dependency answers; otherwise what is wrong and which setting to look at.</summary>
    Task<string?> CheckAsync(CancellationToken cancellationToken);
}
