using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.OpsConsole;

/// <summary>
/// The alerts page in a real browser over a service whose alerts really failed (a Teams endpoint answering
/// 503) or found no owner: what it shows, Retry, and what a read-only session cannot do.
/// </summary>
public sealed class ConsoleAlertsTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>, IAsyncLifetime
{
    private const string ReadOnlyKey = "integration-read-only-key-0123456789";
    private const string Waba = "109876543210987";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly FakeTeamsEndpoint _failing = new();
    private readonly FakeTeamsEndpoint _working = new();
    private InProcessService _service = null!;
    private string _failedId = null!;
    private string _unroutedId = null!;

    public async Task InitializeAsync()
    {
        await _failing.InitializeAsync();
        await _working.InitializeAsync();
        _failing.AlwaysRespondWith(HttpStatusCode.ServiceUnavailable);
        _service = await InProcessService.StartAsync(new Dictionary<string, string?>
        {
            ["Ops:ReadOnlyApiKeys:0"] = ReadOnlyKey,
            ["Notifications:AllowInsecureWebhookUrls"] = "true",
            ["Notifications:Delivery:PollInterval"] = "00:00:00.100",
            ["Notifications:Delivery:RetryBaseDelay"] = "00:00:00.100",
            ["Notifications:Delivery:RetryMaxDelay"] = "00:00:00.200",
            ["Notifications:Delivery:MaxAttempts"] = "2",
            ["Notifications:Resilience:MaxRetryAttempts"] = "1",
            ["Notifications:Resilience:RetryBaseDelay"] = "00:00:00.050",
            ["Notifications:Resilience:AttemptTimeout"] = "00:00:02",
            ["Notifications:Resilience:MinimumThroughput"] = "1000",
        });

        // Owns order_update_* only, through a Teams endpoint that is down: its alert ends failed.
        await PutOwnerAsync("payments", new
        {
            displayName = "Equipo de pagos",
            teamsWebhookUrl = _failing.Url(),
            language = "es",
            match = new { wabaId = (string?)null, templateNamePattern = "order_update_*" },
        });
        await PostAsync(Samples.StatusWebhook(7401, 1751247548, Waba, "FLAGGED"));
        // pago_recordatorio: nobody owns it and there is no default owner, so its alert is unrouted.
        await PostAsync(Samples.CategoryNotice(7402, 1751247549, "UTILITY", "MARKETING", 1751333948, Waba));

        _failedId = (await WaitForAsync(7401, "failed")).GetProperty("notificationId").GetString()!;
        _unroutedId = (await WaitForAsync(7402, "unrouted")).GetProperty("notificationId").GetString()!;
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _failing.DisposeAsync();
        await _working.DisposeAsync();
    }

    [Fact]
    public async Task Alerts_FailedAndUnrouted_ListedWithTheTeamsHostOnly()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);
        await tab.SignInAsync(TestSecrets.OpsKey);

        await tab.GoAsync("/console/alerts");

        var failed = tab.Page.Locator($"tr#alert-{_failedId}");
        await Assertions.Expect(failed).ToContainTextAsync("template-flagged");
        await Assertions.Expect(failed).ToContainTextAsync("failed");
        await Assertions.Expect(failed).ToContainTextAsync("503");
        await Assertions.Expect(failed).ToContainTextAsync("Equipo de pagos");
        await Assertions.Expect(failed.Locator("td").Nth(5)).ToHaveTextAsync("127.0.0.1");
        await Assertions.Expect(failed.GetByRole(AriaRole.Link, new() { Name = "order_update_401" })).ToHaveAttributeAsync("href", "/console/templates/7401");
        var unrouted = tab.Page.Locator($"tr#alert-{_unroutedId}");
        await Assertions.Expect(unrouted).ToContainTextAsync("category-change-upcoming");
        await Assertions.Expect(unrouted).ToContainTextAsync("unrouted");
        await Assertions.Expect(unrouted.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToBeVisibleAsync();
        var html = await tab.Page.ContentAsync();
        Assert.DoesNotContain(FakeTeamsEndpoint.Signature, html, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", html, StringComparison.Ordinal);
        await tab.ScreenshotAsync("alerts");

        // The status filter narrows the list to one status.
        await tab.Page.GetByLabel("Status").SelectOptionAsync("unrouted");
        await tab.Page.Locator("main form.filters button[type=submit]").ClickAsync();
        await Assertions.Expect(tab.Page.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(tab.Page.Locator("tbody tr")).ToHaveAttributeAsync("id", $"alert-{_unroutedId}");
        tab.AssertNoProblems();
    }

    [Fact]
    public async Task Alerts_NarrowScreen_NoPageLevelSideScroll()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!, width: 375, height: 800);
        await tab.SignInAsync(TestSecrets.OpsKey);

        await tab.GoAsync("/console/alerts");

        await Assertions.Expect(tab.Page.Locator($"tr#alert-{_failedId}")).ToBeAttachedAsync();
        await ConsolePageChecks.AssertNoPageScrollAsync(tab.Page);
        tab.AssertNoProblems();
    }

    [Fact]
    public async Task Retry_UnroutedAfterADefaultOwnerIsAdded_ReroutedWithANewAlertForTheOwner()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);
        await tab.SignInAsync(TestSecrets.OpsKey);
        await tab.GoAsync("/console/alerts");

        // No owner yet: the page says so, and nothing changes.
        await tab.Page.Locator($"tr#alert-{_unroutedId}").GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Still no owner");
        Assert.Equal("unrouted", await StatusOfAsync(_unroutedId));

        await PutOwnerAsync("everyone", new { displayName = "Todos", teamsWebhookUrl = _working.Url(), language = "es" });
        await tab.Page.Locator($"tr#alert-{_unroutedId}").GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();

        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Alert re-sent; it is now rerouted.");
        await Assertions.Expect(tab.Page.Locator($"tr#alert-{_unroutedId}")).ToHaveAttributeAsync("data-status", "rerouted");
        await Assertions.Expect(tab.Page.Locator($"tr#alert-{_unroutedId}").GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Assertions.Expect(tab.Page.Locator("tbody tr", new() { HasText = "Todos" })).ToHaveCountAsync(1);
        await _working.WaitForRequestsAsync(1, Wait);
        ConsolePageChecks.AssertOnlyRefusals(tab, 409);
    }

    [Fact]
    public async Task Retry_FailedAlert_PendingAgainAndSentOnceTheChannelWorks()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);
        await tab.SignInAsync(TestSecrets.OpsKey);
        await tab.GoAsync("/console/alerts");
        _failing.AlwaysRespondWith(HttpStatusCode.Accepted);

        await tab.Page.Locator($"tr#alert-{_failedId}").GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();

        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Alert re-sent; it is now (pending|sending|sent)\\.$"));
        await Eventually.Until(() => StatusOfAsync(_failedId), s => s == "sent", Wait, "the re-sent alert delivered");
        await tab.GoAsync("/console/alerts");
        await Assertions.Expect(tab.Page.Locator($"tr#alert-{_failedId}")).ToHaveAttributeAsync("data-status", "sent");
        tab.AssertNoProblems();
    }

    [Fact]
    public async Task Retry_ReadOnlySession_NoButtonAndForgedPostsRefused()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);
        await tab.SignInAsync(ReadOnlyKey);
        await PutOwnerAsync("everyone", new { displayName = "Todos", teamsWebhookUrl = _working.Url(), language = "es" });

        await tab.GoAsync("/console/alerts");

        await Assertions.Expect(tab.Page.Locator($"tr#alert-{_unroutedId}")).ToContainTextAsync("unrouted");
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToHaveCountAsync(0);
        var token = await ConsolePageChecks.CsrfTokenAsync(tab.Page);

        var withToken = await ConsolePageChecks.PostFormAsync(tab.Page, "/console/alerts?handler=Retry", new Dictionary<string, string> { ["id"] = _unroutedId, ["__csrf"] = token });
        var withoutToken = await ConsolePageChecks.PostFormAsync(tab.Page, "/console/alerts?handler=Retry", new Dictionary<string, string> { ["id"] = _unroutedId });

        Assert.Equal((int)HttpStatusCode.Forbidden, withToken.Status);
        Assert.Equal((int)HttpStatusCode.BadRequest, withoutToken.Status);
        Assert.Equal("unrouted", await StatusOfAsync(_unroutedId));
        Assert.Equal("failed", await StatusOfAsync(_failedId));
        tab.AssertNoProblems();
    }

    private async Task<string?> StatusOfAsync(string id) =>
        (await _service.Client.GetOpsAsync($"/api/notifications/{id}")).GetProperty("status").GetString();

    private Task<JsonElement> WaitForAsync(long templateId, string status) =>
        Eventually.Until(
            async () => (await _service.Client.GetOpsAsync($"/api/notifications?templateId={templateId}")).GetProperty("items").EnumerateArray()
                .FirstOrDefault(n => n.GetProperty("status").GetString() == status),
            n => n.ValueKind == JsonValueKind.Object,
            Wait, $"a {status} alert for template {templateId}");

    private async Task PutOwnerAsync(string id, object body)
    {
        using var response = await _service.Client.SendOpsAsync(HttpMethod.Put, $"/api/owners/{id}", body);
        Assert.True(response.IsSuccessStatusCode, $"PUT owner answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task PostAsync(string body)
    {
        using var response = await _service.Client.PostWebhookAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
