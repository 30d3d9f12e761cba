using Azure.Core;
using Azure.Identity;

namespace WebhookProcessor.Azure;

/// <summary>The credential both Azure clients use when they are given an endpoint rather than a connection string.</summary>
public static class AzureCredentials
{
    /// <summary>
    /// A <see cref="TokenCredential"/> registered in the container (tests, hosts with their own), else the
    /// default chain (environment, workload identity, managed identity, developer sign-ins) with the
    /// user-assigned identity's client id when one is named: on Azure that is the app's identity.
    /// </summary>
    public static TokenCredential For(IServiceProvider services, string? clientId) =>
        services.GetService<TokenCredential>()
        ?? new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId,
        });
}
