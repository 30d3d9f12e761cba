using System.Net.Http.Json;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.IntegrationTests.Notifications;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.IntegrationTests.Reconciliation;

/// <summary>
/// Reconciliation on real parts: the service on a loopback port with its Graph API settings pointing at
/// <see cref="FakeGraphApi"/>, a run that finds what webhooks never said, and the owner's e-mail at a
/// real SMTP server (MailDev) and post at a loopback stand-in for a Teams Workflows webhook; then Meta's
/// late webhook for the same change, signed, through the real webhook endpoint, which must alert nobody.
/// </summary>
[Collection(MailDevCollection.Name)]
public sealed class ReconciliationEndToEndTests(MailDevServer mail) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private const string Waba = "109876543210987";

    private readonly FakeGraphApi _graph = new();
    private readonly FakeTeamsEndpoint _teams = new();
    private readonly string _inbox = $"owner-{Guid.NewGuid():N}@example.com";
    private InProcessService _service = null!;

    public async Task InitializeAsync()
    {
        await _graph.InitializeAsync();
        await _teams.InitializeAsync();
        _service = await InProcessService.StartAsync(new Dictionary<string, string?>
        {
            ["Meta:GraphApi:AccessToken"] = "EAAGend-to-end-token-0123456789",
            ["Meta:GraphApi:BaseUrl"] = _graph.BaseAddress.ToString(),
            ["Meta:GraphApi:PageSize"] = "2",
            // Runs here happen when the test says, never on a schedule of their own.
            ["Reconciliation:Enabled"] = "false",
            ["Notifications:Smtp:Host"] = "127.0.0.1",
            ["Notifications:Smtp:Port"] = mail.SmtpPort.ToString(CultureInfo.InvariantCulture),
            ["Notifications:Smtp:From"] = "alerts@webhookprocessor.test",
            ["Notifications:Smtp:UseStartTls"] = "false",
            ["Notifications:AllowInsecureWebhookUrls"] = "true",
            ["Notifications:Delivery:PollInterval"] = "00:00:00.100",
        });
        using var response = await _service.Client.SendOpsAsync(HttpMethod.Put, "/api/owners/payments", new
        {
            displayName = "Payments team",
            emails = new[] { _inbox },
            teamsWebhookUrl = _teams.Url(),
            language = "en",
            match = new { wabaId = (string?)null, templateNamePattern = (string?)null },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"PUT owner answered {(int)response.StatusCode}");
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _teams.DisposeAsync();
        await _graph.DisposeAsync();
    }

    [Fact]
    public async Task Reconcile_MissedRejectionAndPendingChange_ReachTheOwnerOnceEvenWhenMetasWebhooksArriveLate()
    {
        // The account was reconciled before: 8101 was approved in UTILITY. Meanwhile webhooks were lost.
        _graph.ServePages(Waba, [Template(8101)]);
        await TriggerReconciliationAsync(Waba, bootstrap: true);
        var rejected = Template(8102, status: "REJECTED");
        rejected["rejected_reason"] = "INVALID_FORMAT";
        _graph.ServePages(Waba, [Template(8101, correctCategory: "MARKETING"), rejected]);

        var result = await TriggerReconciliationAsync(Waba, bootstrap: false);

        Assert.Equal((AccountRunStatus.Succeeded, 1, 1), (result.Status, result.Added, result.PendingChangesFound));
        var emails = await mail.WaitForEmailsAsync(e => e.To.Any(t => t.Address == _inbox), 2, Wait);
        Assert.Equal(2, emails.Count);
        Assert.Contains(emails, e => e.Subject?.Contains("order_update_102", StringComparison.Ordinal) == true);
        Assert.Contains(emails, e => e.Subject?.Contains("order_update_101", StringComparison.Ordinal) == true);
        var posts = await _teams.WaitForRequestsAsync(2, Wait);
        Assert.Contains(posts, p => p.Body.Contains("order_update_102", StringComparison.Ordinal));
        Assert.Contains(posts, p => p.Body.Contains("order_update_101", StringComparison.Ordinal));
        await SentAsync(8102, AlertKindRejected);
        await SentAsync(8101, AlertKindUpcoming);
        var fetchedAt = (await EventsAsync(8102)).Where(e => e.GetProperty("source").GetString() == "reconciliation")
            .Select(e => e.GetProperty("occurredAt").GetDateTimeOffset()).Min();

        // Meta's webhooks for the same changes arrive late: one timed before the fetch, one just after.
        await PostWebhookAsync(Samples.StatusWebhook(8102, fetchedAt.ToUnixTimeSeconds() - 600, Waba, "REJECTED", reason: "INVALID_FORMAT"));
        var older = await WebhookEventAsync(8102, 1);
        await PostWebhookAsync(Samples.StatusWebhook(8102, fetchedAt.ToUnixTimeSeconds() + 2, Waba, "REJECTED", reason: "INVALID_FORMAT"));
        var newer = await WebhookEventAsync(8102, 2);
        await PostWebhookAsync(Samples.CategoryNotice(8101, fetchedAt.ToUnixTimeSeconds() + 2, "UTILITY", "MARKETING", fetchedAt.ToUnixTimeSeconds() + 86_400, Waba));
        await WebhookEventAsync(8101, 1);

        Assert.False(older.GetProperty("catalogApplied").GetBoolean());
        Assert.True(newer.GetProperty("catalogApplied").GetBoolean());
        Assert.Equal(2, (await NotificationsAsync(8102)).Count);
        Assert.Equal(2, (await NotificationsAsync(8101)).Count);
        Assert.Equal(2, (await mail.GetEmailsAsync()).Count(e => e.To.Any(t => t.Address == _inbox)));
        Assert.Equal(2, _teams.Received.Count);
        var template = await _service.Client.GetOpsAsync("/api/templates/8102");
        Assert.Equal("REJECTED", template.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Reconcile_Bootstrap_AlertsOnlyAboutTheUpcomingChange()
    {
        var rejected = Template(8202, status: "REJECTED");
        rejected["rejected_reason"] = "INVALID_FORMAT";
        _graph.ServePages(Waba,
            [Template(8201), rejected],
            [Template(8203, status: "PAUSED"), Template(8204, correctCategory: "MARKETING")]);

        var result = await TriggerReconciliationAsync(Waba, bootstrap: true);

        Assert.Equal((AccountRunStatus.Succeeded, 4, 1), (result.Status, result.Added, result.PendingChangesFound));
        var sent = await SentAsync(8204, AlertKindUpcoming);
        Assert.Equal(2, sent.Count);
        var all = (await _service.Client.GetOpsAsync("/api/notifications?limit=100")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, all.Count);
        Assert.All(all, n => Assert.Equal(AlertKindUpcoming, n.GetProperty("kind").GetString()));
        var email = Assert.Single(await mail.WaitForEmailsAsync(e => e.To.Any(t => t.Address == _inbox), 1, Wait));
        Assert.Contains("order_update_204", email.Subject, StringComparison.Ordinal);
        Assert.Contains("order_update_204", Assert.Single(await _teams.WaitForRequestsAsync(1, Wait)).Body, StringComparison.Ordinal);
        var catalog = await _service.Client.GetOpsAsync("/api/templates/8202");
        Assert.Equal("REJECTED", catalog.GetProperty("status").GetString());
    }

    private const string AlertKindRejected = "template-rejected";
    private const string AlertKindUpcoming = "category-change-upcoming";

    /// <summary>
    /// Runs one account's reconciliation inside the service. Today: the service's own
    /// <see cref="IAccountReconciler"/> (or one built from its services while the surface does not register
    /// it yet). This is the one place to switch to <c>POST /api/reconciliations</c> with
    /// <c>{"wabaId": …}</c>, then polling <c>GET /api/reconciliations/{id}</c> until it is no longer running.
    /// </summary>
    /// <summary>
    /// Starts a run for one account as ops would, through <c>POST /api/reconciliations</c>, waits for it to
    /// end and returns the account's figures. The coordinator decides bootstrap itself (the account's first
    /// successful run); <paramref name="bootstrap"/> is what the test expects it to say.
    /// </summary>
    private async Task<AccountReconciliation> TriggerReconciliationAsync(string wabaId, bool bootstrap)
    {
        var run = await _service.Client.ReconcileAsync(wabaId, Wait);
        var account = Assert.Single(run.GetProperty("accounts").EnumerateArray());
        Assert.Equal(bootstrap, account.GetProperty("bootstrap").GetBoolean());
        return new AccountReconciliation(
            account.GetProperty("wabaId").GetString()!,
            ReconciliationNames.AccountStatusFromStored(account.GetProperty("status").GetString()!),
            TemplatesSeen: account.GetProperty("templatesSeen").GetInt32(),
            Added: account.GetProperty("added").GetInt32(),
            Changed: account.GetProperty("changed").GetInt32(),
            PendingChangesFound: account.GetProperty("pendingChangesFound").GetInt32(),
            Deleted: account.GetProperty("deleted").GetInt32(),
            Bootstrap: account.GetProperty("bootstrap").GetBoolean(),
            Error: account.TryGetProperty("error", out var error) ? error.GetString() : null);
    }

    private static System.Text.Json.Nodes.JsonObject Template(long id, string status = "APPROVED", string correctCategory = "") =>
        FakeGraphApi.Template(id, $"order_update_{id % 1000}", category: "UTILITY", correctCategory: correctCategory, status: status);

    private async Task PostWebhookAsync(string body)
    {
        using var response = await _service.Client.PostWebhookAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<List<JsonElement>> EventsAsync(long templateId) =>
        (await _service.Client.GetOpsAsync($"/api/events?templateId={templateId}&limit=100")).GetProperty("items").EnumerateArray().ToList();

    /// <summary>Waits until the worker has recorded the <paramref name="count"/>-th webhook event for the template; returns the newest recorded.</summary>
    private async Task<JsonElement> WebhookEventAsync(long templateId, int count)
    {
        var webhooks = await Eventually.Until(
            async () => (await EventsAsync(templateId)).Where(e => e.GetProperty("source").GetString() == "webhook").ToList(),
            events => events.Count >= count,
            Wait,
            $"webhook event #{count} of template {templateId} to be processed");
        return webhooks.OrderByDescending(e => e.GetProperty("processedAt").GetDateTimeOffset()).First();
    }

    private async Task<List<JsonElement>> NotificationsAsync(long templateId) =>
        (await _service.Client.GetOpsAsync($"/api/notifications?templateId={templateId}")).GetProperty("items").EnumerateArray().ToList();

    /// <summary>Waits until the template's alerts (one e-mail, one Teams post) are sent, all of <paramref name="kind"/>.</summary>
    private Task<List<JsonElement>> SentAsync(long templateId, string kind) =>
        Eventually.Until(
            () => NotificationsAsync(templateId),
            items => items.Count == 2 && items.All(n => n.GetProperty("status").GetString() == "sent" && n.GetProperty("kind").GetString() == kind),
            Wait,
            $"the {kind} alerts of template {templateId} to be sent");
}
