using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using WebhookProcessor.Azure;
using WebhookProcessor.Notifications;
using WebhookProcessor.Processing;
using WebhookProcessor.Queue;

namespace WebhookProcessor.IntegrationTests.Azure;

/// <summary>The in-process receiver's processor as it is created and started, at the SDK's seam (Moq client and processor).</summary>
public sealed class ServiceBusWorkerTests
{
    private readonly Mock<ServiceBusClient> _client = new(MockBehavior.Strict);
    private readonly Mock<ServiceBusProcessor> _processor = new();
    private ServiceBusProcessorOptions? _created;

    public ServiceBusWorkerTests()
    {
        _client.Setup(c => c.CreateProcessor("template-events", It.IsAny<ServiceBusProcessorOptions>()))
            .Callback((string _, ServiceBusProcessorOptions options) => _created = options)
            .Returns(_processor.Object);
        _processor.Setup(p => p.StartProcessingAsync(It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        _processor.Setup(p => p.StopProcessingAsync(It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
    }

    [Fact]
    public async Task StartAsync_Configured_PeekLockWithoutAutoCompleteAndTheConfiguredLimits()
    {
        var settings = new ServiceBusProcessorSettings { MaxConcurrentCalls = 6, PrefetchCount = 3, MaxAutoLockRenewalDuration = TimeSpan.FromMinutes(2) };
        var worker = Worker(settings, enabled: true);

        await worker.StartAsync(CancellationToken.None);
        await worker.StopAsync(CancellationToken.None);

        Assert.NotNull(_created);
        Assert.Equal(ServiceBusReceiveMode.PeekLock, _created.ReceiveMode);
        Assert.False(_created.AutoCompleteMessages);
        Assert.Equal((6, 3, TimeSpan.FromMinutes(2)), (_created.MaxConcurrentCalls, _created.PrefetchCount, _created.MaxAutoLockRenewalDuration));
        _processor.Verify(p => p.StartProcessingAsync(It.IsAny<CancellationToken>()), Times.Once);
        _processor.Verify(p => p.StopProcessingAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task StartAsync_WorkerDisabled_ReceivesNothing()
    {
        var worker = Worker(new ServiceBusProcessorSettings(), enabled: false);

        await worker.StartAsync(CancellationToken.None);
        await worker.StopAsync(CancellationToken.None);

        _client.Verify(c => c.CreateProcessor(It.IsAny<string>(), It.IsAny<ServiceBusProcessorOptions>()), Times.Never);
    }

    private ServiceBusWorker Worker(ServiceBusProcessorSettings settings, bool enabled)
    {
        var handler = new ServiceBusMessageHandler(
            new TemplateEventProcessor(Mock.Of<WebhookProcessor.Catalog.ITemplateStore>(), Mock.Of<INotificationStore>(), Options.Create(new NotificationOptions()), new AlertSignals(), TimeProvider.System),
            Options.Create(new ServiceBusQueueOptions()),
            TimeProvider.System,
            NullLogger<ServiceBusMessageHandler>.Instance);
        return new ServiceBusWorker(
            _client.Object,
            handler,
            Options.Create(new ServiceBusQueueOptions { ConnectionString = "x", Processor = settings }),
            Options.Create(new QueueOptions { WorkerEnabled = enabled }),
            NullLogger<ServiceBusWorker>.Instance);
    }
}
