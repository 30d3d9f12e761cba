using Azure.Core;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Azure;

/// <summary>The Service Bus intake queue on the Azure SDK. The host also registers an <see cref="IDeadLetterSink"/>.</summary>
public static class ServiceBusRegistration
{
    /// <summary>
    /// Registers <see cref="ServiceBusQueueOptions"/> (validated at start-up), one <see cref="ServiceBusClient"/>
    /// for the app through <c>AddAzureClients</c>, a <see cref="ServiceBusSender"/> for the queue and the
    /// Service Bus <see cref="IEventQueue"/>. With a namespace instead of a connection string, the
    /// credential is a <see cref="TokenCredential"/> from the container if there is one, else
    /// <see cref="DefaultAzureCredential"/> with the user-assigned identity named by <c>ClientId</c>
    /// (or <c>AZURE_CLIENT_ID</c>).
    /// </summary>
    public static IServiceCollection AddServiceBusQueue(this IServiceCollection services)
    {
        services.AddOptions<ServiceBusQueueOptions>()
            .BindConfiguration(ServiceBusQueueOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) =>
            {
                if (string.IsNullOrWhiteSpace(options.ClientId) && string.IsNullOrWhiteSpace(options.ConnectionString))
                {
                    options.ClientId = configuration[TableStorageOptions.ClientIdVariable];
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServiceBusQueueOptions>, ServiceBusQueueOptionsValidator>();
        services.AddAzureClients(clients => clients
            .AddClient<ServiceBusClient, ServiceBusClientOptions>((_, credential, sp) =>
                CreateClient(sp.GetRequiredService<IOptions<ServiceBusQueueOptions>>().Value, credential))
            .WithCredential(sp => sp.GetService<TokenCredential>()
                ?? Credential(sp.GetRequiredService<IOptions<ServiceBusQueueOptions>>().Value.ClientId)));
        services.AddSingleton(sp => sp.GetRequiredService<ServiceBusClient>()
            .CreateSender(sp.GetRequiredService<IOptions<ServiceBusQueueOptions>>().Value.QueueName));
        services.AddSingleton<ServiceBusEventQueue>();
        services.AddSingleton<IEventQueue>(sp => sp.GetRequiredService<ServiceBusEventQueue>());
        return services;
    }

    internal static ServiceBusClient CreateClient(ServiceBusQueueOptions options, TokenCredential credential)
    {
        var clientOptions = new ServiceBusClientOptions
        {
            TransportType = options.TransportType,
            RetryOptions = options.Retry.ToSdk(),
            CustomEndpointAddress = options.EndpointOverride,
            Identifier = "WebhookProcessor",
        };
        return string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new ServiceBusClient(options.FullyQualifiedNamespace, credential, clientOptions)
            : new ServiceBusClient(options.ConnectionString, clientOptions);
    }

    /// <summary>
    /// The default chain (environment, workload identity, managed identity, developer sign-ins), with the
    /// user-assigned identity's client id when one is named: on Azure that is the app's identity.
    /// </summary>
    internal static TokenCredential Credential(string? clientId) =>
        new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId,
        });
}
