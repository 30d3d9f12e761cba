using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.IntegrationTests.Notifications;

public sealed class TeamsWorkflowSenderTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly FakeTeamsEndpoint _teams = new();
    private readonly HttpClient _http = AlertChannelRegistration.CreateTeamsHttpClient(allowInsecureUrls: true);

    public Task InitializeAsync() => _teams.InitializeAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _teams.DisposeAsync();
    }

    [Fact]
    public async Task Send_Endpoint202_SucceedsAndPostsThePayloadAsJson()
    {
        var sender = Sender();
        var alert = TestAlerts.Teams(_teams.Url());

        await sender.SendAsync(alert, CancellationToken.None);

        var request = Assert.Single(_teams.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/workflows/abc", request.Path);
        Assert.Contains($"sig={FakeTeamsEndpoint.Signature}", request.Query, StringComparison.Ordinal);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal(alert.Content.TeamsPayload, request.Body);
    }

    [Fact]
    public async Task Send_Answered429WithRetryAfterThen202_WaitsAsAskedThenSucceeds()
    {
        _teams.RespondWith(HttpStatusCode.TooManyRequests, retryAfter: TimeSpan.FromSeconds(1));

        await Sender().SendAsync(TestAlerts.Teams(_teams.Url()), CancellationToken.None);

        var requests = _teams.Received;
        Assert.Equal(2, requests.Count);
        // The 50 ms backoff would retry far sooner; only the header explains a one-second gap.
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(950), $"gap {requests[1].ReceivedAt - requests[0].ReceivedAt}");
    }

    [Fact]
    public async Task Send_Two500sThen202_Succeeds()
    {
        _teams.RespondWith(HttpStatusCode.InternalServerError, times: 2);

        await Sender(TestAlerts.FastResilience(retries: 3)).SendAsync(TestAlerts.Teams(_teams.Url()), CancellationToken.None);

        Assert.Equal(3, _teams.Received.Count);
    }

    [Fact]
    public async Task Send_EndpointAlways500_FailsNonPermanentAfterEveryAttempt()
    {
        _teams.AlwaysRespondWith(HttpStatusCode.InternalServerError);

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(
            () => Sender(TestAlerts.FastResilience(retries: 3)).SendAsync(TestAlerts.Teams(_teams.Url()), CancellationToken.None));

        Assert.False(ex.Permanent);
        Assert.Contains("500", ex.Message, StringComparison.Ordinal);
        Assert.Contains("4 attempts", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1 + 3, _teams.Received.Count);
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task Send_Answered404_FailsPermanentlyAtOnceWithoutShowingTheSecret()
    {
        _teams.AlwaysRespondWith(HttpStatusCode.NotFound);

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(
            () => Sender().SendAsync(TestAlerts.Teams(_teams.Url()), CancellationToken.None));

        Assert.True(ex.Permanent);
        Assert.Contains("404", ex.Message, StringComparison.Ordinal);
        Assert.Contains("update the owner's teamsWebhookUrl", ex.Message, StringComparison.Ordinal);
        Assert.Contains("/workflows/abc", ex.Message, StringComparison.Ordinal);
        Assert.Single(_teams.Received);
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task Send_SlowerThanAttemptTimeout_FailsNonPermanentWithoutWaitingForTheAnswer()
    {
        _teams.AlwaysRespondWith(HttpStatusCode.Accepted, delay: TimeSpan.FromSeconds(30));
        var settings = TestAlerts.FastResilience(retries: 1);
        settings.AttemptTimeout = TimeSpan.FromMilliseconds(300);
        var elapsed = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(
            () => Sender(settings).SendAsync(TestAlerts.Teams(_teams.Url()), CancellationToken.None));

        Assert.False(ex.Permanent);
        Assert.Contains("no answer within 0.3 s", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, _teams.Received.Count);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(10), $"took {elapsed.Elapsed}");
    }

    [Fact]
    public async Task Send_RetryAfterLongerThanMaxRetryAfter_FailsTheRoundWithoutWaiting()
    {
        _teams.AlwaysRespondWith(HttpStatusCode.TooManyRequests, retryAfter: TimeSpan.FromSeconds(120));
        var elapsed = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(
            () => Sender().SendAsync(TestAlerts.Teams(_teams.Url()), CancellationToken.None));

        Assert.False(ex.Permanent);
        Assert.Contains("asked to wait 120 s", ex.Message, StringComparison.Ordinal);
        Assert.Single(_teams.Received);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(5), $"took {elapsed.Elapsed}");
    }

    [Fact]
    public async Task Send_ChannelKeepsFailing_PausesWithoutCallingThenResumesAfterBreak()
    {
        // The breaker reads the clock; moving it replaces waiting out the break.
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var settings = TestAlerts.FastResilience(retries: 1);
        settings.MinimumThroughput = 4;
        settings.BreakDuration = TimeSpan.FromSeconds(30);
        var sender = Sender(settings, clock);
        _teams.AlwaysRespondWith(HttpStatusCode.ServiceUnavailable);

        // Two rounds of two attempts: four failures out of four.
        for (var round = 0; round < 2; round++)
        {
            await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Teams(_teams.Url()), CancellationToken.None));
        }

        Assert.Equal(4, _teams.Received.Count);

        _teams.AlwaysRespondWith(HttpStatusCode.Accepted);
        var paused = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Teams(_teams.Url()), CancellationToken.None));
        Assert.False(paused.Permanent);
        Assert.Contains($"Teams alerts to {WebhookUrls.Redact(_teams.Url())} paused after repeated failures; next try after 2026-03-02 09:00:30Z", paused.Message, StringComparison.Ordinal);
        Assert.Equal(4, _teams.Received.Count);

        clock.Advance(settings.BreakDuration + TimeSpan.FromMilliseconds(1));
        await sender.SendAsync(TestAlerts.Teams(_teams.Url()), CancellationToken.None);
        Assert.Equal(5, _teams.Received.Count);
    }

    [Fact]
    public async Task Send_OneOwnersUrlKeepsFailing_OtherOwnersAreStillAlerted()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var settings = TestAlerts.FastResilience(retries: 1);
        settings.MinimumThroughput = 4;
        settings.BreakDuration = TimeSpan.FromMinutes(5);
        var sender = Sender(settings, clock);
        await using var dead = await FakeTeamsEndpoint.StartAsync();
        var deadUrl = dead.Url();
        await dead.DisposeAsync();

        // Three rounds of two refused connections each: that URL's breaker opens.
        for (var round = 0; round < 3; round++)
        {
            await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Teams(deadUrl), CancellationToken.None));
        }

        var paused = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Teams(deadUrl), CancellationToken.None));
        Assert.Contains("paused after repeated failures", paused.Message, StringComparison.Ordinal);

        // The healthy owner's URL is on the same host, another port: it is alerted at once.
        var healthy = TestAlerts.Teams(_teams.Url());
        await sender.SendAsync(healthy, CancellationToken.None);
        Assert.Equal(healthy.Content.TeamsPayload, Assert.Single(_teams.Received).Body);
    }

    [Fact]
    public async Task Send_ManyPermanentFailures_DoNotPauseTheChannel()
    {
        var settings = TestAlerts.FastResilience();
        settings.MinimumThroughput = 2;
        var sender = Sender(settings);
        _teams.RespondWith(HttpStatusCode.NotFound, times: 6);

        for (var i = 0; i < 6; i++)
        {
            var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Teams(_teams.Url("/workflows/deleted")), CancellationToken.None));
            Assert.True(ex.Permanent);
        }

        await sender.SendAsync(TestAlerts.Teams(_teams.Url()), CancellationToken.None);
        Assert.Equal(7, _teams.Received.Count);
    }

    [Fact]
    public async Task Send_UnreachableEndpoint_FailsNonPermanent()
    {
        var url = _teams.Url();
        await _teams.DisposeAsync();

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(
            () => Sender(TestAlerts.FastResilience(retries: 1)).SendAsync(TestAlerts.Teams(url), CancellationToken.None));

        Assert.False(ex.Permanent);
        Assert.Contains("could not be reached", ex.Message, StringComparison.Ordinal);
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task Send_PlainHttpUrlWhenNotAllowed_FailsPermanentlyWithoutPosting()
    {
        var sender = new TeamsWorkflowSender(
            _http,
            Options.Create(new NotificationOptions { AllowInsecureWebhookUrls = false, Resilience = TestAlerts.FastResilience() }),
            TimeProvider.System,
            NullLogger<TeamsWorkflowSender>.Instance);

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Teams(_teams.Url()), CancellationToken.None));

        Assert.True(ex.Permanent);
        Assert.Contains("plain http", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_teams.Received);
        AssertNoSecret(ex);
    }

    [Theory]
    [InlineData(HttpStatusCode.TemporaryRedirect)]
    [InlineData(HttpStatusCode.PermanentRedirect)]
    [InlineData(HttpStatusCode.Found)]
    [InlineData(HttpStatusCode.MovedPermanently)]
    public async Task Send_EndpointRedirects_FailsPermanentlyWithoutFollowing(HttpStatusCode status)
    {
        await using var target = await FakeTeamsEndpoint.StartAsync();
        _teams.AlwaysRedirectTo(target.Url("/elsewhere"), status);

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => Sender().SendAsync(TestAlerts.Teams(_teams.Url()), CancellationToken.None));

        Assert.True(ex.Permanent);
        Assert.Contains(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        Assert.Contains("redirects are not followed", ex.Message, StringComparison.Ordinal);
        Assert.Single(_teams.Received);
        Assert.Empty(target.Received);
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task Send_AllowedHostThatResolvesToLoopback_IsRefusedBeforeAnyConnection()
    {
        // "localhost" passes the host check (it is in the allowed list here) but resolves to loopback,
        // which a secure configuration must never connect to.
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var listener6 = TryListen(IPAddress.IPv6Loopback, port);
        using var http = AlertChannelRegistration.CreateTeamsHttpClient(allowInsecureUrls: false);
        var options = new NotificationOptions
        {
            AllowInsecureWebhookUrls = false,
            Resilience = TestAlerts.FastResilience(),
            Teams = new TeamsSettings { AllowedHosts = ["localhost"] },
        };
        var sender = new TeamsWorkflowSender(http, Options.Create(options), TimeProvider.System, NullLogger<TeamsWorkflowSender>.Instance);
        var url = $"https://localhost:{port}/workflows/abc?sig={FakeTeamsEndpoint.Signature}";

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Teams(url), CancellationToken.None));

        Assert.True(ex.Permanent);
        Assert.Contains("not allowed", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", ex.Message, StringComparison.Ordinal);
        Assert.False(listener.Pending(), "a connection reached the loopback listener");
        Assert.False(listener6?.Pending() ?? false, "a connection reached the IPv6 loopback listener");
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task Send_OpenAndClosedPorts_GiveTheSameError()
    {
        // An https URL to the plain-http fake fails in the TLS handshake (the port is open); a stopped
        // listener's port refuses the connection. The owner may not learn which from lastError.
        await using var closed = await FakeTeamsEndpoint.StartAsync();
        var closedUrl = new Uri(closed.Url().Replace("http://", "https://", StringComparison.Ordinal));
        await closed.DisposeAsync();
        var openUrl = new Uri(_teams.Url().Replace("http://", "https://", StringComparison.Ordinal));
        var sender = Sender(TestAlerts.FastResilience(retries: 0));

        var open = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Teams(openUrl.ToString()), CancellationToken.None));
        var refused = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Teams(closedUrl.ToString()), CancellationToken.None));

        Assert.Equal(
            refused.Message.Replace($":{closedUrl.Port}/", ":PORT/", StringComparison.Ordinal),
            open.Message.Replace($":{openUrl.Port}/", ":PORT/", StringComparison.Ordinal));
        Assert.Contains("could not be reached", open.Message, StringComparison.Ordinal);
    }

    private static System.Net.Sockets.TcpListener? TryListen(IPAddress address, int port)
    {
        try
        {
            var listener = new System.Net.Sockets.TcpListener(address, port);
            listener.Start();
            return listener;
        }
        catch (System.Net.Sockets.SocketException)
        {
            // No IPv6 on this machine, or the port is taken there: the IPv4 listener still tells.
            return null;
        }
    }

    private TeamsWorkflowSender Sender(ResilienceSettings? resilience = null, TimeProvider? clock = null) => new(
        _http,
        Options.Create(new NotificationOptions { AllowInsecureWebhookUrls = true, Resilience = resilience ?? TestAlerts.FastResilience() }),
        clock ?? TimeProvider.System,
        NullLogger<TeamsWorkflowSender>.Instance);

    private static void AssertNoSecret(Exception ex)
    {
        // ToString covers inner exceptions and their messages too.
        var all = ex.ToString();
        Assert.DoesNotContain("sig=", all, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeTeamsEndpoint.Signature, all, StringComparison.Ordinal);
    }
}
