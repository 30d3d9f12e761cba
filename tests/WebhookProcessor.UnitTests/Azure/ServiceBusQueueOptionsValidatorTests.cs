using WebhookProcessor.Azure;
using WebhookProcessor.UnitTests.Support;

namespace WebhookProcessor.UnitTests.Azure;

public sealed class ServiceBusQueueOptionsValidatorTests
{
    private const string ConnectionString = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=s3cr3t=";

    [Fact]
    public void Validate_ConnectionStringOnly_Succeeds() =>
        Assert.True(Validate(new ServiceBusQueueOptions { ConnectionString = ConnectionString }).Succeeded);

    [Fact]
    public void Validate_NamespaceWithClientId_Succeeds() =>
        Assert.True(Validate(new ServiceBusQueueOptions { FullyQualifiedNamespace = "ns.servicebus.windows.net", ClientId = "00000000-0000-0000-0000-000000000001" }).Succeeded);

    [Theory]
    [InlineData(null, null, "Queue:ServiceBus:ConnectionString")]
    [InlineData(ConnectionString, "ns.servicebus.windows.net", "exactly one")]
    [InlineData("Endpoint=sb://ns/;SharedAccessKeyName=send", null, "has no SharedAccessKey")]
    [InlineData(null, "https://ns.servicebus.windows.net/", "Queue:ServiceBus:FullyQualifiedNamespace")]
    public void Validate_Broken_NamesTheKey(string? connectionString, string? ns, string says)
    {
        var result = Validate(new ServiceBusQueueOptions { ConnectionString = connectionString, FullyQualifiedNamespace = ns });

        OptionsAssert.FailsNaming(result, says);
        Assert.DoesNotContain("s3cr3t", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OtherSettings_EachNamed()
    {
        var result = Validate(new ServiceBusQueueOptions
        {
            ConnectionString = ConnectionString + ";EntityPath=other",
            QueueName = "template-events",
            ClientId = "id",
            MaxBatchBytes = 10,
            EndpointOverride = new Uri("/relative", UriKind.Relative),
            TransportType = (global::Azure.Messaging.ServiceBus.ServiceBusTransportType)42,
            Retry = new ServiceBusRetrySettings { MaxRetries = -1, Delay = TimeSpan.Zero },
        });

        Assert.Contains("is for the entity 'other'", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Queue:ServiceBus:ClientId", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Queue:ServiceBus:MaxBatchBytes", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Queue:ServiceBus:EndpointOverride", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Queue:ServiceBus:TransportType", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Queue:ServiceBus:Retry:MaxRetries", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Queue:ServiceBus:Retry needs Delay", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 16, 60)]
    [InlineData(4, -1, 60)]
    [InlineData(4, 16, -1)]
    public void Validate_ProcessorSettingsOutOfRange_NamesTheSection(int maxConcurrentCalls, int prefetchCount, int renewalSeconds)
    {
        var result = Validate(new ServiceBusQueueOptions
        {
            ConnectionString = ConnectionString,
            Processor = new ServiceBusProcessorSettings
            {
                MaxConcurrentCalls = maxConcurrentCalls,
                PrefetchCount = prefetchCount,
                MaxAutoLockRenewalDuration = TimeSpan.FromSeconds(renewalSeconds),
            },
        });

        OptionsAssert.FailsNaming(result, "Queue:ServiceBus:Processor");
    }

    [Theory]
    [InlineData(-1, 60, 300)]
    [InlineData(10, 5, 300)]
    [InlineData(2, 300, 300)]
    public void Validate_ProcessorRetryWaitsOutOfRange_NamesThem(int baseSeconds, int maxSeconds, int renewalSeconds)
    {
        var result = Validate(new ServiceBusQueueOptions
        {
            ConnectionString = ConnectionString,
            Receiver = ServiceBusReceiverMode.Processor,
            Processor = new ServiceBusProcessorSettings
            {
                RetryBaseDelay = TimeSpan.FromSeconds(baseSeconds),
                RetryMaxDelay = TimeSpan.FromSeconds(maxSeconds),
                MaxAutoLockRenewalDuration = TimeSpan.FromSeconds(renewalSeconds),
            },
        });

        Assert.Contains("RetryBaseDelay <= RetryMaxDelay < MaxAutoLockRenewalDuration", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownReceiver_NamesTheKey()
    {
        var result = Validate(new ServiceBusQueueOptions { ConnectionString = ConnectionString, Receiver = (ServiceBusReceiverMode)9 });

        Assert.Contains("Queue:ServiceBus:Receiver", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_Processor_FourAtOnceSixteenPrefetchedFiveMinutesOfRenewal()
    {
        var settings = new ServiceBusQueueOptions().Processor;

        Assert.Equal((4, 16, TimeSpan.FromMinutes(5)), (settings.MaxConcurrentCalls, settings.PrefetchCount, settings.MaxAutoLockRenewalDuration));
        Assert.True(Validate(new ServiceBusQueueOptions { ConnectionString = ConnectionString }).Succeeded);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(ServiceBusQueueOptions options) =>
        new ServiceBusQueueOptionsValidator().Validate(null, options);
}
