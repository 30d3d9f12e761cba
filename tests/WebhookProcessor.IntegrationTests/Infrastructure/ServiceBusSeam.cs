using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WebhookProcessor.Azure;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// Replaces every place the app in Service Bus mode talks to the broker: the queue's sender, the
/// dead-letter sub-queue's receiver and the queue's figures (administration client and peeking receiver). A test that leaves one out would reach for a namespace that does
/// not exist and see a 500 from the route that uses it.
/// </summary>
public static class ServiceBusSeam
{
    public static IServiceCollection UseServiceBusDoubles(this IServiceCollection services, ServiceBusSenderDouble sender, DeadLetterReceiverDouble? broker = null, QueueRuntimeDouble? runtime = null)
    {
        services.AddSingleton<ServiceBusSender>(sender.Object);
        services.AddSingleton(new ServiceBusDeadLetterQueue((broker ?? new DeadLetterReceiverDouble()).Object, NullLogger<ServiceBusDeadLetterQueue>.Instance));
        var figures = runtime ?? new QueueRuntimeDouble();
        services.AddSingleton(sp => figures.Create(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ServiceBusQueueRuntime>>()));
        return services;
    }
}
