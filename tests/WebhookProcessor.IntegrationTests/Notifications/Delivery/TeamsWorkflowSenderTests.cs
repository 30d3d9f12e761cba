using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.IntegrationTests.Notifications;

/// <summary>
/// The Teams sender as the app registers it (<see cref="AlertChannelRegistration.AddAlertChannels"/>:
/// the factory's client, its resilience pipeline, the address guard) against a loopback stand-in for
/// Workflows. The pipeline runs on a fake clock: retry delays, timeouts and breaks pass only when a
/// test moves time, so nothing here waits them out for real.
/// </summary>
public sealed class TeamsWorkflowSenderTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>Longer than any retry delay of <see cref="TestAlerts.FastResilience"/> (50 ms doubled, with jitter), shorter than its timeouts.</summary>
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(1);

    private readonly FakeTeamsEndpoint _teams = new();
    private readonly WatchedFakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly CapturedLogs _logs = new();
    private readonly List<ServiceProvider> _providers = [];

    /// <summary>Every send's token, cancelled at the end: a send a failed test left waiting on the fake clock ends there.</summary>
    private readonly CancellationTokenSource _stop = new();

    public Task InitializeAsync() => _teams.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _stop.Dispose();
        foreach (var provider in _providers)
        {
            // Polly lets executions still running end before it disposes a pipeline, and waits for them on the fake clock.
            var disposed = provider.DisposeAsync().AsTask();
            await Eventually.Until(
                () =>
                {
                    _clock.Advance(TimeSpan.FromSeconds(1));
                    return Task.FromResult(disposed.IsCompleted);
                },
                done => done,
                Wait,
                "the Teams pipelines to be disposed");
            await disposed;
        }

        await _teams.DisposeAsync();
    }

    [Fact]
    public async Task Send_Endpoint202_SucceedsAndPostsThePayloadAsJson()
    {
        var sender = Sender();
        var alert = TestAlerts.Teams(_teams.Url());

        await sender.SendAsync(alert, _stop.Token);

        var request = Assert.Single(_teams.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/workflows/abc", request.Path);
        Assert.Contains($"sig={FakeTeamsEndpoint.Signature}", request.Query, StringComparison.Ordinal);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal(alert.Content.TeamsPayload, request.Body);
    }

    [Fact]
    public async Task Send_Answered429WithRetryAfter7Then202_NextAttemptOnlyAfterSevenSeconds()
    {
        var settings = TestAlerts.FastResilience();
        settings.MaxRetryAfter = TimeSpan.FromSeconds(60);
        _teams.RespondWith(HttpStatusCode.TooManyRequests, retryAfter: TimeSpan.FromSeconds(7));

        var send = Sender(settings).SendAsync(TestAlerts.Teams(_teams.Url()), _stop.Token);

        // The 50 ms backoff would arm a far shorter wait; only the header explains seven seconds.
        await _clock.WaitForTimerAsync(due => due == TimeSpan.FromSeconds(7), Wait);
        _clock.Advance(TimeSpan.FromSeconds(7) - TimeSpan.FromMilliseconds(1));
        Assert.False(send.IsCompleted);
        Assert.Single(_teams.Received);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await send.WaitAsync(Wait, TimeProvider.System);
        Assert.Equal(2, _teams.Received.Count);
    }

    [Fact]
    public async Task Send_Two500sThen202_Succeeds()
    {
        _teams.RespondWith(HttpStatusCode.InternalServerError, times: 2);

        await RunAsync(() => Sender(TestAlerts.FastResilience(retries: 3)).SendAsync(TestAlerts.Teams(_teams.Url()), _stop.Token));

        Assert.Equal(3, _teams.Received.Count);
    }

    [Fact]
    public async Task Send_EndpointAlways500_FailsNonPermanentAfterEveryAttempt()
    {
        _teams.AlwaysRespondWith(HttpStatusCode.InternalServerError);

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(
            () => RunAsync(() => Sender(TestAlerts.FastResilience(retries: 3)).SendAsync(TestAlerts.Teams(_teams.Url()), _stop.Token)));

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
            () => Sender().SendAsync(TestAlerts.Teams(_teams.Url()), _stop.Token));

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
        settings.AttemptTimeout = TimeSpan.FromSeconds(2);

        var send = Sender(settings).SendAsync(TestAlerts.Teams(_teams.Url()), _stop.Token);

        // Each attempt's timeout is armed before its request leaves, so once the request is in, time can move.
        await _teams.WaitForRequestsAsync(1, Wait);
        _clock.Advance(settings.AttemptTimeout);
        _clock.Advance(await _clock.WaitForTimerAsync(due => due < LongestRetryDelay, Wait));
        await _teams.WaitForRequestsAsync(2, Wait);
        _clock.Advance(settings.AttemptTimeout);
        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => send.WaitAsync(Wait, TimeProvider.System));

        Assert.False(ex.Permanent);
        Assert.Contains("no answer within 2 s (2 attempts this round)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, _teams.Received.Count);
    }

    [Fact]
    public async Task Send_RetryAfterLongerThanMaxRetryAfter_FailsTheRoundWithoutWaiting()
    {
        _teams.AlwaysRespondWith(HttpStatusCode.TooManyRequests, retryAfter: TimeSpan.FromSeconds(120));

        // No time moves here: a retry that waited for the header would never end.
        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(
            () => Sender().SendAsync(TestAlerts.Teams(_teams.Url()), _stop.Token).WaitAsync(Wait, TimeProvider.System));

        Assert.False(ex.Permanent);
        Assert.Contains("asked to wait 120 s (1 attempt this round)", ex.Message, StringComparison.Ordinal);
        Assert.Single(_teams.Received);
    }

    [Fact]
    public async Task Send_DestinationKeepsFailing_PausesWithoutCallingThenResumesAfterBreak()
    {
        var settings = BreakerSettings(TimeSpan.FromSeconds(30));
        var sender = Sender(settings);
        _teams.AlwaysRespondWith(HttpStatusCode.ServiceUnavailable);

        // Two rounds of two attempts: four failures out of four.
        await FailRoundsAsync(sender, _teams.Url(), rounds: 2);

        Assert.Equal(4, _teams.Received.Count);

        _teams.AlwaysRespondWith(HttpStatusCode.Accepted);
        var paused = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Teams(_teams.Url()), _stop.Token));
        Assert.False(paused.Permanent);
        Assert.Contains($"Teams alerts to {WebhookUrls.Redact(_teams.Url())} paused after repeated failures; next try after 2026-03-02 09:00:30Z", paused.Message, StringComparison.Ordinal);
        Assert.Equal(4, _teams.Received.Count);

        _clock.Advance(settings.BreakDuration);
        await sender.SendAsync(TestAlerts.Teams(_teams.Url()), _stop.Token);
        Assert.Equal(5, _teams.Received.Count);
    }

    [Fact]
    public async Task Send_OneOwnersUrlKeepsFailing_OtherOwnersAreStillAlerted()
    {
        var settings = BreakerSettings(TimeSpan.FromMinutes(5));
        var sender = Sender(settings);
        await using var dead = await FakeTeamsEndpoint.StartAsync();
        var deadUrl = dead.Url();
        await dead.DisposeAsync();

        // Three rounds of two refused connections each: that URL's breaker opens.
        await FailRoundsAsync(sender, deadUrl, rounds: 3);

        var paused = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Teams(deadUrl), _stop.Token));
        Assert.Contains("paused after repeated failures", paused.Message, StringComparison.Ordinal);

        // The healthy owner's URL is on the same host, another port: it is alerted at once.
        var healthy = TestAlerts.Teams(_teams.Url());
        await sender.SendAsync(healthy, _stop.Token);
        Assert.Equal(healthy.Content.TeamsPayload, Assert.Single(_teams.Received).Body);
    }

    [Fact]
    public async Task Send_OneWorkflowOnASharedHostKeepsFailing_OtherWorkflowsThereAreStillAlerted()
    {
        // Workflows URLs of many owners share a Logic Apps host: the breaker is the URL's, not the host's.
        var settings = BreakerSettings(TimeSpan.FromMinutes(5));
        var sender = Sender(settings);
        _teams.AlwaysRespondWith(HttpStatusCode.BadGateway);
        await FailRoundsAsync(sender, _teams.Url("/workflows/broken"), rounds: 2);

        _teams.AlwaysRespondWith(HttpStatusCode.Accepted);
        var paused = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Teams(_teams.Url("/workflows/broken")), _stop.Token));
        await sender.SendAsync(TestAlerts.Teams(_teams.Url("/workflows/healthy")), _stop.Token);

        Assert.Contains("paused after repeated failures", paused.Message, StringComparison.Ordinal);
        Assert.Equal(5, _teams.Received.Count);
        Assert.Equal("/workflows/healthy", _teams.Received[^1].Path);
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
            var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Teams(_teams.Url("/workflows/deleted")), _stop.Token));
            Assert.True(ex.Permanent);
        }

        await sender.SendAsync(TestAlerts.Teams(_teams.Url()), _stop.Token);
        Assert.Equal(7, _teams.Received.Count);
    }

    [Fact]
    public async Task Send_UnreachableEndpoint_FailsNonPermanent()
    {
        var url = _teams.Url();
        await _teams.DisposeAsync();

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(
            () => RunAsync(() => Sender(TestAlerts.FastResilience(retries: 1)).SendAsync(TestAlerts.Teams(url), _stop.Token)));

        Assert.False(ex.Permanent);
        Assert.Contains("could not be reached (2 attempts this round)", ex.Message, StringComparison.Ordinal);
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task Send_PlainHttpUrlWhenNotAllowed_FailsPermanentlyWithoutPosting()
    {
        var sender = Sender(allowInsecure: false);

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Teams(_teams.Url()), _stop.Token));

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

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => Sender().SendAsync(TestAlerts.Teams(_teams.Url()), _stop.Token));

        Assert.True(ex.Permanent);
        Assert.Contains(((int)status).ToString(CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
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
        var sender = Sender(allowInsecure: false, allowedHosts: ["localhost"]);
        var url = $"https://localhost:{port}/workflows/abc?sig={FakeTeamsEndpoint.Signature}";

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Teams(url), _stop.Token));

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

        var open = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Teams(openUrl.ToString()), _stop.Token));
        var refused = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Teams(closedUrl.ToString()), _stop.Token));

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

    [Fact]
    public async Task Send_RetriedAndFailedRounds_WriteNoSecretToAnyLog()
    {
        // The pipeline's key and the client's request logs are where a URL would reach the log.
        var sender = Sender(TestAlerts.FastResilience(retries: 1));
        _teams.RespondWith(HttpStatusCode.InternalServerError);
        await RunAsync(() => sender.SendAsync(TestAlerts.Teams(_teams.Url()), _stop.Token));
        _teams.AlwaysRespondWith(HttpStatusCode.ServiceUnavailable);
        await Assert.ThrowsAsync<AlertDeliveryException>(() => RunAsync(() => sender.SendAsync(TestAlerts.Teams(_teams.Url()), _stop.Token)));

        var entries = _logs.Entries;
        Assert.Contains(entries, e => e.Message.Contains("/workflows/abc", StringComparison.Ordinal));
        Assert.All(entries, e =>
        {
            Assert.DoesNotContain(FakeTeamsEndpoint.Signature, $"{e.Message} {e.Exception}", StringComparison.Ordinal);
            Assert.DoesNotContain("sig=", $"{e.Message} {e.Exception}", StringComparison.Ordinal);
        });
    }

    /// <summary>
    /// Starts a send and lets it run to its end, moving the fake clock past each retry delay as soon as the pipeline
    /// starts waiting it (a timer shorter than <see cref="LongestRetryDelay"/>).
    /// </summary>
    private async Task RunAsync(Func<Task> start)
    {
        // Counted before the send starts: its first retry delay can be armed before this method sees the task.
        var passed = RetryDelays().Count;
        var send = start();
        for (; ; passed++)
        {
            await Eventually.Until(
                () => Task.FromResult(send.IsCompleted || RetryDelays().Count > passed),
                ready => ready,
                Wait,
                "the send to end or wait for its next retry");
            if (send.IsCompleted)
            {
                await send;
                return;
            }

            _clock.Advance(RetryDelays()[passed]);
        }
    }

    private async Task FailRoundsAsync(TeamsWorkflowSender sender, string url, int rounds)
    {
        for (var round = 0; round < rounds; round++)
        {
            await Assert.ThrowsAsync<AlertDeliveryException>(() => RunAsync(() => sender.SendAsync(TestAlerts.Teams(url), _stop.Token)));
        }
    }

    /// <summary>Two attempts a round; the breaker opens after four failures out of four.</summary>
    private static ResilienceSettings BreakerSettings(TimeSpan breakDuration)
    {
        var settings = TestAlerts.FastResilience(retries: 1);
        settings.MinimumThroughput = 4;
        settings.BreakDuration = breakDuration;
        return settings;
    }

    private List<TimeSpan> RetryDelays() => [.. _clock.Armed.Where(due => due < LongestRetryDelay)];

    private TeamsWorkflowSender Sender(ResilienceSettings? resilience = null, bool allowInsecure = true, string[]? allowedHosts = null)
    {
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace))
            .AddSingleton<TimeProvider>(_clock);
        _logs.AddTo(services);
        services.AddOptions<NotificationOptions>().Configure(options =>
        {
            options.AllowInsecureWebhookUrls = allowInsecure;
            options.Resilience = resilience ?? TestAlerts.FastResilience();
            options.Teams = new TeamsSettings { AllowedHosts = allowedHosts };
        });
        services.AddAlertChannels();
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<TeamsWorkflowSender>();
    }

    private static void AssertNoSecret(Exception ex)
    {
        // ToString covers inner exceptions and their messages too.
        var all = ex.ToString();
        Assert.DoesNotContain("sig=", all, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeTeamsEndpoint.Signature, all, StringComparison.Ordinal);
    }
}
