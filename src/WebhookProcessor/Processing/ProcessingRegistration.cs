namespace WebhookProcessor.Processing;

/// <summary>Turning queued changes into catalog updates and alerts; and the worker for a queue this process pulls from.</summary>
public static class ProcessingRegistration
{
    public static WebApplicationBuilder AddProcessing(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TemplateEventProcessor>();
        return builder;
    }

    /// <summary>
    /// The in-process <see cref="QueueWorker"/>, for a queue with an <see cref="Queue.IQueueConsumer"/>
    /// (SQLite). A queue whose messages are pushed to the process (Service Bus via the Functions host) has none.
    /// </summary>
    public static IServiceCollection AddQueueWorker(this IServiceCollection services)
    {
        services.AddHostedService<QueueWorker>();
        return services;
    }
}
