using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.IntegrationTests.Notifications;

[CollectionDefinition(Name)]
public sealed class MailDevCollection : ICollectionFixture<MailDevServer>
{
    public const string Name = "maildev";
}

/// <summary>
/// The whole path on real parts: a signed webhook into the service on a loopback port, through the
/// queue and the catalog, to an e-mail at a real SMTP server (MailDev) and a post at a loopback
/// stand-in for a Teams Workflows webhook.
/// </summary>
[Collection(MailDevCollection.Name)]
public sealed class AlertFlowTests(MailDevServer mail) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private const string Waba = "109876543210987";
    private readonly FakeTeamsEndpoint _teams = new();
    private readonly string _inbox = $"owner-{Guid.NewGuid():N}@example.com";
    private readonly List<InProcessService> _services = [];

    public Task InitializeAsync() => _teams.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var service in _services)
        {
            await service.DisposeAsync();
        }

        await _teams.DisposeAsync();
    }

    private Dictionary<string, string?> Settings(string? dataFolder = null) => new()
    {
        ["Notifications:Smtp:Host"] = "127.0.0.1",
        ["Notifications:Smtp:Port"] = mail.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Notifications:Smtp:From"] = "alerts@webhookprocessor.test",
        ["Notifications:Smtp:UseStartTls"] = "false",
        ["Notifications:AllowInsecureWebhookUrls"] = "true",
        ["Notifications:Delivery:PollInterval"] = "00:00:00.100",
        ["Notifications:Delivery:RetryBaseDelay"] = "00:00:00.200",
        ["Notifications:Delivery:RetryMaxDelay"] = "00:00:00.500",
        ["Notifications:Delivery:MaxAttempts"] = "3",
        ["Notifications:Resilience:MaxRetryAttempts"] = "1",
        ["Notifications:Resilience:RetryBaseDelay"] = "00:00:00.050",
        ["Notifications:Resilience:AttemptTimeout"] = "00:00:02",
        ["Notifications:Resilience:MinimumThroughput"] = "1000",
    };

    private async Task<InProcessService> StartAsync(Dictionary<string, string?>? settings = null, string? dataFolder = null)
    {
        var service = await InProcessService.StartAsync(settings ?? Settings(), dataFolder);
        _services.Add(service);
        return service;
    }

    private async Task PutOwnerAsync(InProcessService service, string id, object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await service.Client.SendOpsAsync(HttpMethod.Put, $"/api/owners/{id}", body);
        Assert.True(expected == response.StatusCode, $"PUT owner answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private object OwnerBody(string language = "es", string? pattern = "order_update_*", bool teams = true) => new
    {
        displayName = "Equipo de pagos",
        emails = new[] { _inbox },
        teamsWebhookUrl = teams ? _teams.Url() : null,
        language,
        match = new { wabaId = (string?)null, templateNamePattern = pattern },
    };

    private static async Task PostAsync(InProcessService service, string body)
    {
        using var response = await service.Client.PostWebhookAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static Task<List<JsonElement>> NotificationsAsync(InProcessService service, long templateId, string? status = null) =>
        Eventually.Until(
            async () => (await service.Client.GetOpsAsync($"/api/notifications?templateId={templateId}{(status is null ? string.Empty : "&status=" + status)}"))
                .GetProperty("items").EnumerateArray().ToList(),
            _ => true, Wait, "notifications");

    private static Task<List<JsonElement>> WaitForNotificationsAsync(InProcessService service, long templateId, Func<List<JsonElement>, bool> done, string what) =>
        Eventually.Until(
            async () => (await service.Client.GetOpsAsync($"/api/notifications?templateId={templateId}")).GetProperty("items").EnumerateArray().ToList(),
            done, Wait, what);

    [Fact]
    public async Task Deliver_OneOwnersTeamsUrlDead_DoesNotHoldUpAnotherOwnersAlert()
    {
        await using var dead = await FakeTeamsEndpoint.StartAsync();
        var deadUrl = dead.Url();
        await dead.DisposeAsync();
        var settings = Settings();
        settings["Notifications:Resilience:MinimumThroughput"] = "4";
        settings["Notifications:Resilience:BreakDuration"] = "00:05:00";
        var service = await StartAsync(settings);
        await PutOwnerAsync(service, "broken", new
        {
            displayName = "Broken",
            emails = Array.Empty<string>(),
            teamsWebhookUrl = deadUrl,
            language = "en",
            match = new { wabaId = (string?)null, templateNamePattern = "order_update_1*" },
        });
        await PutOwnerAsync(service, "healthy", new
        {
            displayName = "Healthy",
            emails = Array.Empty<string>(),
            teamsWebhookUrl = _teams.Url(),
            language = "en",
            match = new { wabaId = (string?)null, templateNamePattern = "order_update_2*" },
        });

        // Three alerts to the dead URL, two refused attempts a round: enough to open a breaker.
        for (var id = 7101; id <= 7103; id++)
        {
            await PostAsync(service, Samples.StatusWebhook(id, 1751247548 + id, Waba, "REJECTED", reason: "INCORRECT_CATEGORY"));
        }

        await Eventually.Until(
            async () => (await service.Client.GetOpsAsync("/api/notifications?channel=teams")).GetProperty("items").EnumerateArray()
                .Select(i => i.TryGetProperty("lastError", out var e) ? e.GetString() : null).ToList(),
            errors => errors.Any(e => e?.Contains("paused after repeated failures", StringComparison.Ordinal) == true),
            Wait,
            "the dead URL's breaker to open");

        await PostAsync(service, Samples.StatusWebhook(7201, 1751249999, Waba, "REJECTED", reason: "INCORRECT_CATEGORY"));

        var posts = await _teams.WaitForRequestsAsync(1, Wait);
        Assert.Contains("order_update_201", posts[0].Body, StringComparison.Ordinal);
        await WaitForNotificationsAsync(service, 7201, items => items.Count == 1 && items[0].GetProperty("status").GetString() == "sent", "the healthy owner's alert sent");
    }

    [Fact]
    public async Task Deliver_TemplateRejected_ReachesTheOwnerByEmailAndTeamsOnce()
    {
        var service = await StartAsync();
        await PutOwnerAsync(service, "payments", OwnerBody());

        var body = Samples.StatusWebhook(7001, 1751247548, Waba, "REJECTED", reason: "INCORRECT_CATEGORY");
        await PostAsync(service, body);

        var emails = await mail.WaitForEmailsAsync(e => e.To.Any(t => t.Address == _inbox), 1, Wait);
        var email = Assert.Single(emails);
        Assert.Contains("order_update_1", email.Subject, StringComparison.Ordinal);
        Assert.Contains("order_update_1", email.Text, StringComparison.Ordinal);
        Assert.Contains("order_update_1", email.Html, StringComparison.Ordinal);

        var posts = await _teams.WaitForRequestsAsync(1, Wait);
        using (var card = JsonDocument.Parse(posts[0].Body))
        {
            Assert.Equal("message", card.RootElement.GetProperty("type").GetString());
            var attachment = card.RootElement.GetProperty("attachments")[0];
            Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
            Assert.Equal("1.4", attachment.GetProperty("content").GetProperty("version").GetString());
            Assert.Contains("order_update_1", posts[0].Body, StringComparison.Ordinal);
        }

        var sent = await WaitForNotificationsAsync(service, 7001, items => items.Count == 2 && items.All(i => i.GetProperty("status").GetString() == "sent"), "two sent notifications");
        Assert.Equal(["email", "teams"], sent.Select(i => i.GetProperty("channel").GetString()).Order());
        Assert.All(sent, i => Assert.Equal("template-rejected", i.GetProperty("kind").GetString()));
        var teamsItem = sent.Single(i => i.GetProperty("channel").GetString() == "teams");
        Assert.DoesNotContain("sig=", teamsItem.GetProperty("recipient").GetString(), StringComparison.Ordinal);

        // Meta delivers the same webhook again: nothing new is sent.
        await PostAsync(service, body);
        await service.Client.WaitForIdleAsync();
        Assert.Equal(2, (await NotificationsAsync(service, 7001)).Count);
        var template = await service.Client.GetOpsAsync("/api/templates/7001");
        Assert.Equal("payments", template.GetProperty("owner").GetProperty("ownerId").GetString());
        Assert.Equal("pattern", template.GetProperty("owner").GetProperty("matchedBy").GetString());
        Assert.Single(await mail.WaitForEmailsAsync(e => e.To.Any(t => t.Address == _inbox), 1, Wait));
        Assert.Single(_teams.Received);
    }

    [Fact]
    public async Task Deliver_Teams429WithRetryAfter_HonoursItWithoutHoldingUpEmail()
    {
        var service = await StartAsync();
        _teams.RespondWith(HttpStatusCode.TooManyRequests, retryAfter: TimeSpan.FromSeconds(1));
        await PutOwnerAsync(service, "payments", OwnerBody(language: "en"));

        await PostAsync(service, Samples.StatusWebhook(7002, 1751247548, Waba, "PAUSED"));

        var email = Assert.Single(await mail.WaitForEmailsAsync(e => e.To.Any(t => t.Address == _inbox), 1, Wait));
        Assert.Contains("order_update_2", email.Subject, StringComparison.Ordinal);
        var posts = await _teams.WaitForRequestsAsync(2, Wait);
        Assert.True(posts[1].ReceivedAt - posts[0].ReceivedAt >= TimeSpan.FromMilliseconds(950), $"the retry came {(posts[1].ReceivedAt - posts[0].ReceivedAt).TotalMilliseconds} ms after the 429");
        var items = await WaitForNotificationsAsync(service, 7002, i => i.Count == 2 && i.All(n => n.GetProperty("status").GetString() == "sent"), "both sent");
        Assert.All(items, i => Assert.Equal(1, i.GetProperty("attempts").GetInt32()));
    }

    [Fact]
    public async Task Deliver_ChannelDownForAWhile_DeliversOnceItIsBack()
    {
        var service = await StartAsync();
        // Two delivery rounds of two tries each fail; the third round gets through.
        _teams.RespondWith(HttpStatusCode.InternalServerError, times: 4);
        await PutOwnerAsync(service, "payments", OwnerBody());

        await PostAsync(service, Samples.StatusWebhook(7003, 1751247548, Waba, "DISABLED"));

        var items = await WaitForNotificationsAsync(service, 7003,
            i => i.Count == 2 && i.All(n => n.GetProperty("status").GetString() == "sent"), "both sent after the outage");
        var teams = items.Single(i => i.GetProperty("channel").GetString() == "teams");
        Assert.Equal(3, teams.GetProperty("attempts").GetInt32());
        Assert.Equal(5, _teams.Received.Count);
        Assert.Equal(1, items.Single(i => i.GetProperty("channel").GetString() == "email").GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task Deliver_ChannelDownForGood_EndsFailedAndCanBeResent()
    {
        var service = await StartAsync();
        _teams.AlwaysRespondWith(HttpStatusCode.ServiceUnavailable);
        await PutOwnerAsync(service, "payments", OwnerBody());

        await PostAsync(service, Samples.StatusWebhook(7004, 1751247548, Waba, "FLAGGED"));

        var failed = await WaitForNotificationsAsync(service, 7004,
            i => i.Any(n => n.GetProperty("status").GetString() == "failed"), "a failed Teams alert");
        var item = failed.Single(n => n.GetProperty("status").GetString() == "failed");
        Assert.Equal("teams", item.GetProperty("channel").GetString());
        Assert.Equal(3, item.GetProperty("attempts").GetInt32());
        Assert.Contains("503", item.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, (await service.Client.HealthAsync()).GetProperty("failedAlerts").GetInt32());

        _teams.AlwaysRespondWith(HttpStatusCode.Accepted);
        var id = item.GetProperty("notificationId").GetString();
        using (var retry = await service.Client.SendOpsAsync(HttpMethod.Post, $"/api/notifications/{id}/retry"))
        {
            Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        }

        await WaitForNotificationsAsync(service, 7004, i => i.All(n => n.GetProperty("status").GetString() == "sent"), "the re-sent alert");
        using var again = await service.Client.SendOpsAsync(HttpMethod.Post, $"/api/notifications/{id}/retry");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Deliver_NoOwner_AlertsAreVisibleAndGoToADefaultOwnerAddedLater()
    {
        var service = await StartAsync();
        await PostAsync(service, Samples.CategoryNotice(7005, 1751247548, "UTILITY", "MARKETING", 1751333948, Waba));

        var unrouted = (await WaitForNotificationsAsync(service, 7005, i => i.Count == 1, "an unrouted alert")).Single();
        Assert.Equal("unrouted", unrouted.GetProperty("status").GetString());
        Assert.Equal("category-change-upcoming", unrouted.GetProperty("kind").GetString());
        Assert.Equal(1, (await service.Client.HealthAsync()).GetProperty("unroutedAlerts").GetInt32());
        var template = await service.Client.GetOpsAsync("/api/templates/7005");
        Assert.Equal(JsonValueKind.Null, template.GetProperty("owner").ValueKind);

        var id = unrouted.GetProperty("notificationId").GetString();
        using (var refused = await service.Client.SendOpsAsync(HttpMethod.Post, $"/api/notifications/{id}/retry"))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        }

        await PutOwnerAsync(service, "everyone", OwnerBody(pattern: null, teams: false));
        using (var retry = await service.Client.SendOpsAsync(HttpMethod.Post, $"/api/notifications/{id}/retry"))
        {
            Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        }

        var email = Assert.Single(await mail.WaitForEmailsAsync(e => e.To.Any(t => t.Address == _inbox), 1, Wait));
        Assert.Contains("pago_recordatorio", email.Subject, StringComparison.Ordinal);
        Assert.Contains("MARKETING", email.Text, StringComparison.Ordinal);
        var items = await WaitForNotificationsAsync(service, 7005, i => i.Any(n => n.GetProperty("status").GetString() == "sent"), "the rerouted alert sent");
        Assert.Contains(items, n => n.GetProperty("status").GetString() == "rerouted");
        Assert.Equal("default", (await service.Client.GetOpsAsync("/api/templates/7005")).GetProperty("owner").GetProperty("matchedBy").GetString());
    }

    [Fact]
    public async Task Deliver_ServiceStopsWhileSending_SendsAfterRestart()
    {
        var settings = Settings();
        settings["Notifications:Resilience:AttemptTimeout"] = "00:01:00";
        var first = await StartAsync(settings);
        _teams.Delay(TimeSpan.FromMinutes(5));
        await PutOwnerAsync(first, "payments", OwnerBody());
        await PostAsync(first, Samples.StatusWebhook(7006, 1751247548, Waba, "REJECTED", reason: "SCAM"));
        await _teams.WaitForRequestsAsync(1, Wait);
        await WaitForNotificationsAsync(first, 7006,
            i => i.Any(n => n.GetProperty("status").GetString() == "sending" && n.GetProperty("channel").GetString() == "teams"),
            "a Teams alert in flight");

        var folder = first.DataFolder;
        _services.Remove(first);
        await StopKeepingDataAsync(first);

        var second = await StartAsync(Settings(), folder);
        await WaitForNotificationsAsync(second, 7006, i => i.Count == 2 && i.All(n => n.GetProperty("status").GetString() == "sent"), "both alerts sent after the restart");
        Assert.Equal(2, _teams.Received.Count);
    }

    [Fact]
    public async Task Digest_UpcomingChanges_AreListedForTheOwnerOnceADay()
    {
        var service = await StartAsync();
        await PutOwnerAsync(service, "payments", OwnerBody(language: "en", pattern: null, teams: false));
        await PostAsync(service, Samples.CategoryNotice(7007, 1751247548, "UTILITY", "MARKETING", 1751333948, Waba));
        await service.Client.WaitForIdleAsync();
        await mail.WaitForEmailsAsync(e => e.To.Any(t => t.Address == _inbox), 1, Wait);

        var digest = service.Services.GetServices<IHostedService>().OfType<DigestService>().Single();
        var day = new DateOnly(2025, 6, 30);
        Assert.Equal(1, await digest.PlanAsync(day, CancellationToken.None));
        Assert.Equal(0, await digest.PlanAsync(day, CancellationToken.None));

        var emails = await mail.WaitForEmailsAsync(e => e.To.Any(t => t.Address == _inbox), 2, Wait);
        var list = emails.Single(e => e.Subject?.Contains("Upcoming category changes", StringComparison.Ordinal) == true);
        Assert.Contains("pago_recordatorio", list.Text, StringComparison.Ordinal);
        Assert.Contains("2025-07-01 01:39 UTC", list.Text, StringComparison.Ordinal);
        Assert.Contains("MARKETING", list.Html, StringComparison.Ordinal);
        var items = await WaitForNotificationsAsync(service, 7007, i => i.Count == 1, "the upcoming-change alert");
        Assert.Equal("category-change-upcoming", items[0].GetProperty("kind").GetString());
        var digests = (await service.Client.GetOpsAsync("/api/notifications?kind=upcoming-changes-digest")).GetProperty("items").EnumerateArray().ToList();
        Assert.Single(digests);
    }

    private static async Task StopKeepingDataAsync(InProcessService service) => await service.StopAsync();
}
