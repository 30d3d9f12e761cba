using Azure.Core;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Messaging.ServiceBus.Administration;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WebhookProcessor.Ops;
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
            .WithCredential(sp => AzureCredentials.For(sp, sp.GetRequiredService<IOptions<ServiceBusQueueOptions>>().Value.ClientId)));
        // The queue's figures (message counts) for /healthz and the metrics: same namespace, same credential.
        services.AddAzureClients(clients => clients
            .AddClient<ServiceBusAdministrationClient, ServiceBusAdministrationClientOptions>((clientOptions, credential, sp) =>
                CreateAdministrationClient(sp.GetRequiredService<IOptions<ServiceBusQueueOptions>>().Value, credential, clientOptions))
            .WithCredential(sp => AzureCredentials.For(sp, sp.GetRequiredService<IOptions<ServiceBusQueueOptions>>().Value.ClientId)));
        services.AddSingleton(sp => sp.GetRequiredService<ServiceBusClient>()
            .CreateSender(sp.GetRequiredService<IOptions<ServiceBusQueueOptions>>().Value.QueueName));
        services.AddSingleton<ServiceBusEventQueue>();
        services.AddSingleton<IEventQueue>(sp => sp.GetRequiredService<ServiceBusEventQueue>());
        // Opens the link at start-up (failing start-up on a setting to fix) and answers for /healthz.
        services.AddSingleton<ServiceBusConnectionCheck>();
        services.AddHostedService(sp => sp.GetRequiredService<ServiceBusConnectionCheck>());
        services.AddSingleton<IDependencyCheck>(sp => sp.GetRequiredService<ServiceBusConnectionCheck>());
        return services;
    }

    /// <summary>
    /// The broker's dead-letter sub-queue beside the Table store's dead letters: the
    /// <see cref="IQueueMonitor"/> becomes <see cref="ServiceBusQueueMonitor"/>, which lists, reads and
    /// removes from both. Call after <c>AddTableDeadLetters</c>, whose monitor registration it replaces.
    /// </summary>
    public static IServiceCollection AddServiceBusDeadLetters(this IServiceCollection services)
    {
        services.AddSingleton(sp => new ServiceBusDeadLetterQueue(
            sp.GetRequiredService<ServiceBusClient>().CreateReceiver(
                sp.GetRequiredService<IOptions<ServiceBusQueueOptions>>().Value.QueueName,
                new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter, ReceiveMode = ServiceBusReceiveMode.PeekLock, PrefetchCount = 0 }),
            sp.GetRequiredService<ILogger<ServiceBusDeadLetterQueue>>()));
        services.AddSingleton(sp => new ServiceBusQueueRuntime(
            sp.GetRequiredService<ServiceBusAdministrationClient>(),
            // Only peeks: it never locks or takes a message from the receivers that process them.
            sp.GetRequiredService<ServiceBusClient>().CreateReceiver(
                sp.GetRequiredService<IOptions<ServiceBusQueueOptions>>().Value.QueueName,
                new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.PeekLock, PrefetchCount = 0 }),
            sp.GetRequiredService<IOptions<ServiceBusQueueOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ServiceBusQueueRuntime>>()));
        services.AddSingleton<ServiceBusQueueMonitor>();
        services.Replace(ServiceDescriptor.Singleton<IQueueMonitor>(sp => sp.GetRequiredService<ServiceBusQueueMonitor>()));
        return services;
    }

    /// <summary>The in-process receiver (<c>Queue:ServiceBus:Receiver</c> = <c>Processor</c>) on the app's client.</summary>
    public static IServiceCollection AddServiceBusWorker(this IServiceCollection services)
    {
        services.AddSingleton<ServiceBusMessageHandler>();
        services.AddHostedService<ServiceBusWorker>();
        return services;
    }

    /// <summary>
    /// The administration client reads the queue's runtime properties over HTTPS. One quick retry only:
    /// a health call waits for it, and <see cref="ServiceBusQueueRuntime"/> reports unknown figures rather than wait.
    /// </summary>
    internal static ServiceBusAdministrationClient CreateAdministrationClient(ServiceBusQueueOptions options, TokenCredential credential, ServiceBusAdministrationClientOptions clientOptions)
    {
        clientOptions.Retry.MaxRetries = 1;
        clientOptions.Retry.NetworkTimeout = ServiceBusQueueRuntime.AnswerWithin;
        return string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new ServiceBusAdministrationClient(options.FullyQualifiedNamespace, credential, clientOptions)
            : new ServiceBusAdministrationClient(options.ConnectionString, clientOptions);
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
}
