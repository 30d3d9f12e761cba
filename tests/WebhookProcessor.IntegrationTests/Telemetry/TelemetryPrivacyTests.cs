using System.Globalization;
using System.Net;
using System.Text;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Notifications;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.IntegrationTests.Telemetry;

/// <summary>
/// Everything the service exports, after a run that touches every secret it holds: no span name, tag,
/// event or status and no metric attribute carries an app secret, a signature, the verify token, an ops
/// key, an e-mail address or a Teams URL.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryPrivacyTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly FakeTeamsEndpoint _teams = new();
    private readonly TelemetryCapture _capture = new();
    private readonly string _inbox = $"owner-{Guid.NewGuid():N}@example.com";
    private InProcessService _service = null!;

    public async Task InitializeAsync()
    {
        await _teams.InitializeAsync();
        _service = await InProcessService.StartAsync(
            TelemetryCapture.Settings(new Dictionary<string, string?>
            {
                ["Notifications:AllowInsecureWebhookUrls"] = "true",
                ["Notifications:Delivery:PollInterval"] = "00:00:00.100",
                ["Notifications:Delivery:RetryBaseDelay"] = "00:10:00",
                ["Notifications:Resilience:MaxRetryAttempts"] = "0",
                // Nothing listens here: the e-mail round fails, and its error must not quote the address.
                ["Notifications:Smtp:Host"] = "127.0.0.1",
                ["Notifications:Smtp:Port"] = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture),
                ["Notifications:Smtp:From"] = "alerts@webhookprocessor.test",
                ["Notifications:Smtp:UseStartTls"] = "false",
            }),
            overrides: _capture.Register);
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _teams.DisposeAsync();
    }

    [Fact]
    public async Task Export_RunTouchingEverySecret_CarriesNoSecretSignatureAddressOrUrl()
    {
        using (var owner = await _service.Client.SendOpsAsync(HttpMethod.Put, "/api/owners/ops", new
        {
            displayName = "Ops",
            emails = new[] { _inbox },
            teamsWebhookUrl = _teams.Url(),
            language = "en",
            match = new { wabaId = (string?)null, templateNamePattern = (string?)null },
        }))
        {
            Assert.Equal(HttpStatusCode.Created, owner.StatusCode);
        }

        var body = Encoding.UTF8.GetBytes(Samples.StatusWebhook(7501, 1_751_200_000, statusEvent: "REJECTED", reason: "INCORRECT_CATEGORY"));
        var signature = SignatureVerifier.Sign(TestSecrets.AppSecret, body);
        using (var accepted = await _service.Client.PostWebhookAsync(body))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using (var refused = await _service.Client.PostWebhookAsync(body, secret: null, signature: SignatureVerifier.Sign(TestSecrets.RotatedAppSecret + "x", body)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var handshake = await _service.Client.Http.GetAsync($"{WebhookEndpoints.Route}?hub.mode=subscribe&hub.verify_token={Uri.EscapeDataString(TestSecrets.VerifyToken)}&hub.challenge=42"))
        {
            Assert.Equal(HttpStatusCode.OK, handshake.StatusCode);
        }

        await _teams.WaitForRequestsAsync(1, Wait);
        await _capture.WaitForSpanAsync(s => s.OperationName == AlertDispatcher.DeliverySpan && (string?)s.GetTagItem(WebhookProcessor.Telemetry.TelemetryTags.AlertChannel) == "email", "the failed e-mail round");
        await _capture.WaitForSpanAsync(s => s.OperationName == AlertDispatcher.DeliverySpan && (string?)s.GetTagItem(WebhookProcessor.Telemetry.TelemetryTags.AlertChannel) == "teams", "the Teams round");
        using (var ops = await _service.Client.SendOpsAsync("/api/notifications"))
        {
            Assert.Equal(HttpStatusCode.OK, ops.StatusCode);
        }

        var metrics = _capture.Flush(_service.Services);

        string[] secrets =
        [
            TestSecrets.AppSecret, TestSecrets.RotatedAppSecret, signature, signature["sha256=".Length..], TestSecrets.VerifyToken, TestSecrets.OpsKey,
            _inbox, "@example.com", FakeTeamsEndpoint.Signature, "/workflows/abc", _teams.Url(),
        ];
        // The loopback Teams endpoint runs in this process, so its own server spans are captured too; they
        // are the receiver's telemetry, not the service's, and are left out.
        var teamsPort = _teams.BaseAddress.Port;
        var exported = _capture.Spans
            .Where(s => !(s.Kind == System.Diagnostics.ActivityKind.Server && s.GetTagItem("server.port") is int port && port == teamsPort))
            .SelectMany(s => new[] { ("span name", s.DisplayName), ("status", s.StatusDescription ?? string.Empty) }
                .Concat(s.TagObjects.Select(t => (t.Key, Text(t.Value))))
                .Concat(s.Events.SelectMany(e => e.Tags.Select(t => ($"{e.Name}.{t.Key}", Text(t.Value)))))
                .Select(p => ($"{s.DisplayName} / {p.Item1}", p.Item2)))
            .Concat(metrics.Attributes().Select(a => ($"{a.Metric} / {a.Key}", a.Value)))
            .ToList();
        Assert.True(exported.Count > 50, $"only {exported.Count} attributes were exported: the run did not record what it should");
        var leaks = exported.Where(p => secrets.Any(secret => p.Item2.Contains(secret, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(leaks.Count == 0, "Exported: " + string.Join("; ", leaks.Select(l => $"{l.Item1} = {l.Item2}")));
    }

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        System.Collections.IEnumerable list => string.Join(",", list.Cast<object?>()),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
