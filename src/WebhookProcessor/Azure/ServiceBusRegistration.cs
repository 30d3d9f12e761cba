using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Options;
using WebhookProcessor.AzureRest.ServiceBus;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Azure;

/// <summary>The Service Bus intake queue. The host also registers an <see cref="IDeadLetterSink"/>.</summary>
public static class ServiceBusRegistration
{
    /// <summary>
    /// Registers <see cref="ServiceBusQueueOptions"/> (validated at start-up), the sender and the
    /// Service Bus <see cref="IEventQueue"/>. With a namespace instead of a connection string, the
    /// credential is a <see cref="TokenCredential"/> from the container if there is one, else the
    /// user-assigned managed identity named by <c>ClientId</c>, else <see cref="DefaultAzureCredential"/>.
    /// </summary>
    public static IServiceCollection AddServiceBusQueue(this IServiceCollection services)
    {
        services.AddOptions<ServiceBusQueueOptions>().BindConfiguration(ServiceBusQueueOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServiceBusQueueOptions>, ServiceBusQueueOptionsValidator>();
        services.AddSingleton(sp => CreateSender(
            sp.GetRequiredService<IOptions<ServiceBusQueueOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<TokenCredential>()));
        services.AddSingleton<ServiceBusEventQueue>();
        services.AddSingleton<IEventQueue>(sp => sp.GetRequiredService<ServiceBusEventQueue>());
        return services;
    }

    internal static ServiceBusRestSender CreateSender(ServiceBusQueueOptions options, TimeProvider clock, TokenCredential? credential)
    {
        var senderOptions = new ServiceBusRestSenderOptions
        {
            MaxBatchBytes = options.MaxBatchBytes,
            EndpointOverride = options.EndpointOverride,
            TimeProvider = clock,
        };
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new ServiceBusRestSender(options.ConnectionString, options.QueueName, senderOptions);
        }

        credential ??= string.IsNullOrWhiteSpace(options.ClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ClientId));
        return new ServiceBusRestSender(options.FullyQualifiedNamespace!, options.QueueName, credential, senderOptions);
    }
}
