using System.Net.Sockets;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using WebhookProcessor.Azure;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Azure;

/// <summary>The link opened at start-up, at the SDK's seam: each SDK error the sender can throw, and what start-up and health make of it.</summary>
public sealed class ServiceBusConnectionCheckTests
{
    private const string Key = "c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWstMTIzNDU2Nzg5MA==";
    private static readonly string ConnectionString = $"Endpoint=sb://wp-test.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey={Key}";

    private readonly ServiceBusSenderDouble _bus = new();

    public static TheoryData<string, string> UserFixable => new()
    {
        { "not-found", "Queue:ServiceBus:QueueName" },
        { "unauthorized", "Queue:ServiceBus:ConnectionString" },
        { "dns", "Queue:ServiceBus:ConnectionString" },
    };

    [Theory]
    [MemberData(nameof(UserFixable))]
    public async Task StartingAsync_ErrorTheUserMustFix_FailsNamingTheSettingWithoutTheKey(string error, string setting)
    {
        _bus.OpenFailure = Error(error);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => Check().StartingAsync(CancellationToken.None));

        var message = string.Join(" | ", failure.Failures);
        Assert.Contains(setting, message, StringComparison.Ordinal);
        Assert.Contains("wp-test.servicebus.windows.net", message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("SharedAccessKey=", failure.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("identity-refused", "Azure Service Bus Data Sender")]
    [InlineData("no-token", "No Microsoft Entra token")]
    public async Task StartingAsync_IdentityCannotSend_FailsNamingTheClientIdSetting(string error, string alsoNamed)
    {
        _bus.OpenFailure = Error(error);
        var options = new ServiceBusQueueOptions { FullyQualifiedNamespace = "wp-test.servicebus.windows.net" };

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => Check(options).StartingAsync(CancellationToken.None));

        Assert.Contains("Queue:ServiceBus:ClientId", failure.Message, StringComparison.Ordinal);
        Assert.Contains(alsoNamed, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartingAsync_NamespaceBusy_StartsAndHealthReportsIt()
    {
        _bus.OpenFailure = new ServiceBusException("The server is busy.", ServiceBusFailureReason.ServiceBusy);
        var check = Check();

        await check.StartingAsync(CancellationToken.None);
        var health = await check.CheckAsync(CancellationToken.None);

        Assert.NotNull(health);
        Assert.Contains("ServiceBusy", health, StringComparison.Ordinal);
        Assert.Contains("wp-test.servicebus.windows.net", health, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_LinkOpensAgain_Healthy()
    {
        _bus.OpenFailure = new ServiceBusException("timeout", ServiceBusFailureReason.ServiceTimeout);
        var check = Check();
        Assert.NotNull(await check.CheckAsync(CancellationToken.None));

        _bus.OpenFailure = null;

        Assert.Null(await check.CheckAsync(CancellationToken.None));
    }

    [Fact]
    public async Task StartingAsync_LinkOpens_OpensItOnceBeforeAnyWebhook()
    {
        await Check().StartingAsync(CancellationToken.None);

        _bus.Mock.Verify(s => s.CreateMessageBatchAsync(It.IsAny<CancellationToken>()), Times.Once);
        Assert.Empty(_bus.Sends);
    }

    [Fact]
    public async Task CheckAsync_NamespaceNeverAnswers_ReportsAfterTheWaitOnTheClock()
    {
        var clock = new FakeTimeProvider();
        var sender = new Mock<ServiceBusSender>(MockBehavior.Strict);
        sender.Setup(s => s.CreateMessageBatchAsync(It.IsAny<CancellationToken>()))
            .Returns(async (CancellationToken token) =>
            {
                await Task.Delay(Timeout.Infinite, token);
                throw new InvalidOperationException("unreachable");
            });
        var check = new ServiceBusConnectionCheck(sender.Object, Options.Create(new ServiceBusQueueOptions { ConnectionString = ConnectionString }), clock, NullLogger<ServiceBusConnectionCheck>.Instance);

        var pending = check.CheckAsync(CancellationToken.None);
        Assert.False(pending.IsCompleted);
        clock.Advance(ServiceBusConnectionCheck.HealthWait);
        var health = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("did not answer", health, StringComparison.Ordinal);
    }

    private static Exception Error(string kind) => kind switch
    {
        "not-found" => new ServiceBusException("The messaging entity 'sb://wp-test.servicebus.windows.net/template-events' could not be found.", ServiceBusFailureReason.MessagingEntityNotFound),
        "unauthorized" => new UnauthorizedAccessException($"Unauthorized access. 'Send' claim(s) are required. SharedAccessKeyName=send"),
        "dns" => new ServiceBusException(
            "No such host is known. ErrorCode: HostNotFound",
            ServiceBusFailureReason.ServiceCommunicationProblem,
            innerException: new SocketException((int)SocketError.HostNotFound)),
        "identity-refused" => new UnauthorizedAccessException("Unauthorized access. 'Send' claim(s) are required to perform this operation."),
        "no-token" => new AuthenticationFailedException("ManagedIdentityCredential authentication failed"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private ServiceBusConnectionCheck Check(ServiceBusQueueOptions? options = null) =>
        new(_bus.Object, Options.Create(options ?? new ServiceBusQueueOptions { ConnectionString = ConnectionString }), TimeProvider.System, NullLogger<ServiceBusConnectionCheck>.Instance);
}
