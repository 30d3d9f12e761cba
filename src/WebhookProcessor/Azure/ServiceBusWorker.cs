using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Options;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Azure;

/// <summary>
/// The worker for hosts without the Functions runtime (<c>Queue:ServiceBus:Receiver</c> = <c>Processor</c>):
/// a <see cref="ServiceBusProcessor"/> on the app's one <see cref="ServiceBusClient"/>, in peek-lock mode
/// with auto-complete off, so <see cref="ServiceBusMessageHandler"/> settles every message itself. The
/// processor renews each lock while the message is processed, up to the configured duration.
/// </summary>
public sealed partial class ServiceBusWorker(
    ServiceBusClient client,
    ServiceBusMessageHandler handler,
    IOptions<ServiceBusQueueOptions> options,
    IOptions<QueueOptions> queueOptions,
    ILogger<ServiceBusWorker> logger) : IHostedService, IAsyncDisposable
{
    private ServiceBusProcessor? _processor;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!queueOptions.Value.WorkerEnabled)
        {
            Log.Paused(logger);
            return;
        }

        var settings = options.Value.Processor;
        _processor = client.CreateProcessor(options.Value.QueueName, new ServiceBusProcessorOptions
        {
            ReceiveMode = ServiceBusReceiveMode.PeekLock,
            AutoCompleteMessages = false,
            MaxConcurrentCalls = settings.MaxConcurrentCalls,
            PrefetchCount = settings.PrefetchCount,
            MaxAutoLockRenewalDuration = settings.MaxAutoLockRenewalDuration,
            Identifier = "WebhookProcessor-worker",
        });
        _processor.ProcessMessageAsync += handler.HandleAsync;
        _processor.ProcessErrorAsync += handler.HandleErrorAsync;
        await _processor.StartProcessingAsync(cancellationToken);
        Log.Started(logger, options.Value.QueueName, settings.MaxConcurrentCalls, settings.PrefetchCount);
    }

    /// <summary>Stops receiving and waits for the messages being processed to be settled.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_processor is not null)
        {
            await _processor.StopProcessingAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_processor is not null)
        {
            await _processor.DisposeAsync();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9121, Level = LogLevel.Information, Message = "Receiving from Service Bus queue {Queue} in this process ({MaxConcurrentCalls} at once, prefetch {PrefetchCount})")]
        public static partial void Started(ILogger logger, string queue, int maxConcurrentCalls, int prefetchCount);

        [LoggerMessage(EventId = 9122, Level = LogLevel.Warning, Message = "Queue:WorkerEnabled is false: webhooks are queued on Service Bus but not received by this process")]
        public static partial void Paused(ILogger logger);
    }
}
