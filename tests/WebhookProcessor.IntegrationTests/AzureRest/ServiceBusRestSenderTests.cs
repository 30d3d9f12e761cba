using System.Net;
using Azure.Core;
using WebhookProcessor.AzureRest.ServiceBus;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.AzureRest;

public sealed class ServiceBusRestSenderTests : IAsyncLifetime
{
    private const string Queue = "template-events";

    private FakeServiceBus _bus = null!;

    public async Task InitializeAsync() => _bus = await FakeServiceBus.StartAsync();

    public async Task DisposeAsync() => await _bus.DisposeAsync();

    [Fact]
    public async Task Send_OneMessage_ArrivesWithIdPropertiesAndBodyAsASingleSend()
    {
        var message = new ServiceBusMessage("evt-1", "{\"a\":\"año\"}")
        {
            ContentType = "application/json",
            TimeToLive = TimeSpan.FromMinutes(5),
            ApplicationProperties = new Dictionary<string, string> { ["field"] = "message_template_status_update", ["wabaId"] = "1099" },
        };

        await Sender().SendAsync(message);

        var received = Assert.Single(_bus.Messages);
        Assert.False(received.FromBatch);
        Assert.Equal(Queue, received.Entity);
        Assert.Equal("evt-1", received.MessageId);
        Assert.Equal("{\"a\":\"año\"}", received.Body);
        Assert.Equal("application/json", received.ContentType);
        Assert.Equal(300, received.BrokerProperties.GetProperty("TimeToLive").GetDouble());
        Assert.Equal("message_template_status_update", received.UserProperties["field"]);
        Assert.Equal("1099", received.UserProperties["wabaId"]);
        var request = Assert.Single(_bus.Requests);
        Assert.Equal($"/{Queue}/messages", request.Path);
        Assert.Equal("\"1099\"", request.Headers["wabaId"]);
        Assert.StartsWith("SharedAccessSignature sr=", request.Headers["Authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_SeveralMessages_OneBatchRequestWithEveryMessage()
    {
        var messages = Enumerable.Range(1, 3).Select(i => new ServiceBusMessage($"evt-{i}", $"body {i} ñ")
        {
            ApplicationProperties = new Dictionary<string, string> { ["n"] = $"{i}" },
        }).ToList();

        await Sender().SendAsync(messages);

        var request = Assert.Single(_bus.Requests);
        Assert.Equal("application/vnd.microsoft.servicebus.json", request.Headers["Content-Type"]);
        Assert.Equal(["evt-1", "evt-2", "evt-3"], _bus.Messages.Select(m => m.MessageId));
        Assert.All(_bus.Messages, m => Assert.True(m.FromBatch));
        Assert.Equal("body 2 ñ", _bus.Messages[1].Body);
        Assert.Equal("3", _bus.Messages[2].UserProperties["n"]);
    }

    [Fact]
    public async Task Send_MoreThanOneRequestHolds_SplitsIntoRequestsUnderTheLimit()
    {
        const int limit = 8 * 1024;
        var messages = Enumerable.Range(0, 10).Select(i => new ServiceBusMessage($"m{i}", new string('x', 2000))).ToList();

        await Sender(_bus.SenderOptions(maxBatchBytes: limit)).SendAsync(messages);

        Assert.True(_bus.Requests.Count >= 3, $"{_bus.Requests.Count} requests");
        Assert.All(_bus.Requests, r => Assert.True(r.Body.Length <= limit, $"{r.Body.Length} bytes"));
        Assert.Equal(messages.Select(m => m.MessageId), _bus.Messages.Select(m => m.MessageId));
    }

    [Fact]
    public async Task Send_OneMessageOverTheLimit_RefusedBeforeAnyRequest()
    {
        var messages = new[] { new ServiceBusMessage("small", "x"), new ServiceBusMessage("big", new string('x', 300 * 1024)) };

        var ex = await Assert.ThrowsAsync<ServiceBusMessageTooLargeException>(() => Sender().SendAsync(messages));

        Assert.Contains("'big'", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"{ex.SizeBytes} bytes", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_bus.Requests);
    }

    [Fact]
    public async Task Send_Answered429WithRetryAfterThen201_WaitsAsAskedThenSucceeds()
    {
        _bus.RespondWith(HttpStatusCode.TooManyRequests, retryAfter: TimeSpan.FromSeconds(1));

        await Sender().SendAsync(new ServiceBusMessage("evt-1", "b"));

        var requests = _bus.Requests;
        Assert.Equal(2, requests.Count);
        // The 20 ms backoff would retry far sooner; only the header explains a one-second gap.
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(900), $"gap {requests[1].ReceivedAt - requests[0].ReceivedAt}");
        Assert.Single(_bus.Messages);
    }

    [Fact]
    public async Task Send_Two503sThen201_Succeeds()
    {
        _bus.RespondWith(HttpStatusCode.ServiceUnavailable, times: 2);

        await Sender().SendAsync(new ServiceBusMessage("evt-1", "b"));

        Assert.Equal(3, _bus.Requests.Count);
        Assert.Single(_bus.Messages);
    }

    [Fact]
    public async Task Send_Always500_FailsTransientAfterEveryAttempt()
    {
        _bus.RespondWith(HttpStatusCode.InternalServerError, times: 10);

        var ex = await Assert.ThrowsAsync<ServiceBusRequestException>(() => Sender(_bus.SenderOptions(maxRetries: 2)).SendAsync(new ServiceBusMessage("evt-1", "b")));

        Assert.Equal(500, ex.Status);
        Assert.True(ex.IsTransient);
        Assert.Contains("3 attempt", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, _bus.Requests.Count);
    }

    [Fact]
    public async Task Send_SlowAnswer_AttemptTimesOutAndTheRetrySucceeds()
    {
        _bus.Delay(TimeSpan.FromSeconds(5));
        var options = _bus.SenderOptions();
        options.Retry.NetworkTimeout = TimeSpan.FromMilliseconds(500);

        await Sender(options).SendAsync(new ServiceBusMessage("evt-1", "b"));

        Assert.Equal(2, _bus.Requests.Count);
        Assert.Single(_bus.Messages);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, "SAS key name and key")]
    [InlineData(HttpStatusCode.Forbidden, "Azure Service Bus Data Sender role")]
    [InlineData(HttpStatusCode.NotFound, "does not exist")]
    [InlineData(HttpStatusCode.Gone, "does not exist")]
    public async Task Send_PermanentRefusal_FailsAtOnceWithAdviceAndNoSecret(HttpStatusCode status, string advice)
    {
        _bus.RespondWith(status);

        var ex = await Assert.ThrowsAsync<ServiceBusRequestException>(() => Sender().SendAsync(new ServiceBusMessage("evt-1", "b")));

        Assert.Equal((int)status, ex.Status);
        Assert.False(ex.IsTransient);
        Assert.Contains(advice, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'{Queue}'", ex.Message, StringComparison.Ordinal);
        Assert.Single(_bus.Requests);
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task Send_WrongKey_StandInRefuses401AndTheErrorCarriesItsCode()
    {
        var wrongKey = _bus.ConnectionString().Replace(FakeServiceBus.Key, "d3Jvbmcta2V5", StringComparison.Ordinal);

        var ex = await Assert.ThrowsAsync<ServiceBusRequestException>(
            () => new ServiceBusRestSender(wrongKey, Queue, _bus.SenderOptions()).SendAsync(new ServiceBusMessage("evt-1", "b")));

        Assert.Equal(401, ex.Status);
        Assert.Equal("InvalidSignature", ex.ErrorCode);
        Assert.Single(_bus.Requests);
        Assert.DoesNotContain("d3Jvbmcta2V5", ex.ToString(), StringComparison.Ordinal);
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task Send_SameMessageIdTwice_StandInKeepsOne()
    {
        var sender = Sender();

        await sender.SendAsync(new ServiceBusMessage("evt-1", "first"));
        await sender.SendAsync([new ServiceBusMessage("evt-1", "again"), new ServiceBusMessage("evt-2", "other")]);

        Assert.Equal(2, _bus.Requests.Count);
        Assert.Equal(["evt-1", "evt-2"], _bus.Messages.Select(m => m.MessageId));
        Assert.Equal("first", _bus.Messages[0].Body);
    }

    [Fact]
    public async Task Send_EntityPathInTheConnectionString_UsedWhenNoQueueIsNamed()
    {
        await new ServiceBusRestSender(_bus.ConnectionString("other-queue"), options: _bus.SenderOptions()).SendAsync(new ServiceBusMessage("evt-1", "b"));

        Assert.Equal("other-queue", Assert.Single(_bus.Messages).Entity);
    }

    [Fact]
    public async Task Send_EntraCredential_BearerTokenForTheServiceBusScope()
    {
        await using var bus = await FakeServiceBus.StartAsync(https: true);
        bus.AcceptBearerToken("entra-token");
        var credential = new RecordingCredential("entra-token");

        await new ServiceBusRestSender("ns.servicebus.windows.net", Queue, credential, bus.SenderOptions()).SendAsync(new ServiceBusMessage("evt-1", "b"));

        Assert.Single(bus.Messages);
        Assert.Equal("Bearer entra-token", Assert.Single(bus.Requests).Headers["Authorization"]);
        Assert.Equal([ServiceBusRestSender.EntraScope], credential.Scopes.Distinct());
        Assert.Equal("https://servicebus.azure.net/.default", ServiceBusRestSender.EntraScope);
    }

    [Fact]
    public async Task Send_EntraTokenRefused_FailsAtOnceNamingTheRole()
    {
        await using var bus = await FakeServiceBus.StartAsync(https: true);
        bus.RespondWith(HttpStatusCode.Forbidden);

        var ex = await Assert.ThrowsAsync<ServiceBusRequestException>(
            () => new ServiceBusRestSender("ns.servicebus.windows.net", Queue, new RecordingCredential("entra-token"), bus.SenderOptions()).SendAsync(new ServiceBusMessage("evt-1", "b")));

        Assert.Contains("Azure Service Bus Data Sender role", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("entra-token", ex.ToString(), StringComparison.Ordinal);
        Assert.Single(bus.Requests);
    }

    [Fact]
    public async Task Send_NobodyListening_FailsTransientAfterEveryAttemptWithoutTheKey()
    {
        var options = _bus.SenderOptions(maxRetries: 1);
        var connectionString = _bus.ConnectionString();
        await _bus.DisposeAsync();

        var ex = await Assert.ThrowsAsync<ServiceBusRequestException>(
            () => new ServiceBusRestSender(connectionString, Queue, options).SendAsync(new ServiceBusMessage("evt-1", "b")));

        Assert.Equal(0, ex.Status);
        Assert.True(ex.IsTransient);
        Assert.Contains("2 attempt", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeServiceBus.Key, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_EntraOverPlainHttp_RefusedUpFront()
    {
        var ex = Assert.Throws<ArgumentException>(
            () => new ServiceBusRestSender("ns.servicebus.windows.net", Queue, new RecordingCredential("t"), _bus.SenderOptions()));

        Assert.Contains("https", ex.Message, StringComparison.Ordinal);
    }

    private ServiceBusRestSender Sender(ServiceBusRestSenderOptions? options = null) =>
        new(_bus.ConnectionString(), Queue, options ?? _bus.SenderOptions());

    private void AssertNoSecret(Exception ex)
    {
        var text = ex.ToString();
        Assert.DoesNotContain(FakeServiceBus.Key, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(FakeServiceBus.Key), text, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", text, StringComparison.Ordinal);
        foreach (var request in _bus.Requests)
        {
            Assert.DoesNotContain(request.Headers["Authorization"], text, StringComparison.Ordinal);
        }
    }

    private sealed class RecordingCredential(string token) : TokenCredential
    {
        private readonly List<string> _scopes = [];

        public IReadOnlyList<string> Scopes => _scopes;

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            _scopes.AddRange(requestContext.Scopes);
            return new AccessToken(token, TimeProvider.System.GetUtcNow().AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }
}
