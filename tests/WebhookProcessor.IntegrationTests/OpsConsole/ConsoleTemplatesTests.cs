using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.OpsConsole;

/// <summary>The templates list and a template's page in a real browser, over data sent in through the webhook endpoint.</summary>
public sealed class ConsoleTemplatesTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>, IAsyncLifetime
{
    private const string ScriptName = "<script>alert(1)</script>";
    private const string OtherAccount = "222222222222222";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private InProcessService _service = null!;
    private FakeTeamsEndpoint _teams = null!;

    public async Task InitializeAsync()
    {
        _teams = await FakeTeamsEndpoint.StartAsync();
        _service = await InProcessService.StartAsync(new Dictionary<string, string?> { ["Notifications:AllowInsecureWebhookUrls"] = "true" });
        using (var put = await _service.Client.SendOpsAsync(HttpMethod.Put, "/api/owners/payments", new
        {
            displayName = "Payments",
            emails = Array.Empty<string>(),
            teamsWebhookUrl = _teams.Url(),
            language = "en",
            match = new { wabaId = (string?)null, templateNamePattern = "order_update_*" },
        }))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        string[] bodies =
        [
            Samples.StatusWebhook(1001, 1_780_000_000, statusEvent: "REJECTED", category: "MARKETING", reason: "INVALID_FORMAT"),
            Samples.StatusWebhook(2002, 1_780_000_100, wabaId: OtherAccount),
            $$$"""{"object":"whatsapp_business_account","entry":[{"id":"{{{OtherAccount}}}","time":1780000200,"changes":[{"field":"message_template_quality_update","value":{"previous_quality_score":"GREEN","new_quality_score":"RED","message_template_id":2002,"message_template_name":"order_update_2","message_template_language":"es_MX"}}]}]}""",
            Samples.CategoryNotice(3003, 1_780_000_300, "UTILITY", "MARKETING", effective: 1_900_000_000),
            Samples.CategoryNotice(4004, 1_780_000_400, "UTILITY", "MARKETING", effective: 1_600_000_000),
            $$$"""{"object":"whatsapp_business_account","entry":[{"id":"109876543210987","time":1780000500,"changes":[{"field":"message_template_status_update","value":{"event":"APPROVED","message_template_id":5005,"message_template_name":"{{{ScriptName}}}","message_template_language":"en","reason":"NONE","message_template_category":"UTILITY"}}]}]}""",
        ];
        foreach (var body in bodies)
        {
            using var response = await _service.Client.PostWebhookAsync(body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await _service.Client.WaitForIdleAsync();
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _teams.DisposeAsync();
    }

    [Fact]
    public async Task List_SeededTemplates_ShowsOwnersPendingChangesAndEachFilterNarrowsIt()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);
        await tab.SignInAsync(TestSecrets.OpsKey);

        await tab.GoAsync("/console/templates");
        Assert.Equal([ScriptName, "order_update_1", "order_update_2", "pago_recordatorio", "pago_recordatorio"], (await NamesAsync(tab)).Order(StringComparer.Ordinal));
        var rows = tab.Page.Locator("#templates tbody tr");
        await Assertions.Expect(rows.Filter(new() { HasText = "order_update_1" })).ToContainTextAsync("Payments");
        await Assertions.Expect(rows.Filter(new() { HasText = "order_update_1" })).ToContainTextAsync("REJECTED");
        await Assertions.Expect(rows.Filter(new() { HasText = "order_update_2" })).ToContainTextAsync("RED");
        var pending = rows.Filter(new() { HasText = "pago_recordatorio" });
        await Assertions.Expect(pending.Filter(new() { HasText = "2030-03-17 17:46 UTC" })).ToContainTextAsync("→ MARKETING");
        await Assertions.Expect(pending.Filter(new() { HasText = "2030-03-17 17:46 UTC" })).ToContainTextAsync("nobody");
        await Assertions.Expect(pending.Filter(new() { HasText = "overdue" })).ToContainTextAsync("2020-09-13 12:26 UTC");
        await Assertions.Expect(pending.Filter(new() { HasText = "overdue" })).ToHaveCountAsync(1);
        await tab.ScreenshotAsync("templates");

        // The form: a labelled search box, submitted with GET.
        await tab.Page.GetByLabel("Name contains").FillAsync("ORDER");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(tab.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("name=ORDER"));
        Assert.Equal(["order_update_1", "order_update_2"], await NamesAsync(tab));

        Assert.Equal(["order_update_2"], await NamesAsync(tab, "wabaId=" + OtherAccount));
        Assert.Equal(["order_update_1"], await NamesAsync(tab, "status=REJECTED"));
        Assert.Equal(["order_update_1"], await NamesAsync(tab, "category=MARKETING"));
        Assert.Equal(["order_update_2"], await NamesAsync(tab, "quality=RED"));
        Assert.Equal(["order_update_1", "order_update_2"], await NamesAsync(tab, "owner=payments"));
        Assert.Equal(["pago_recordatorio", "pago_recordatorio"], await NamesAsync(tab, "pending=yes"));
        Assert.Equal(["order_update_1", "order_update_2", ScriptName], await NamesAsync(tab, "pending=no"));
        Assert.Equal([ScriptName, "order_update_1", "order_update_2", "pago_recordatorio", "pago_recordatorio"], await NamesAsync(tab, "sort=name"));
        Assert.Equal([ScriptName, "pago_recordatorio", "pago_recordatorio", "order_update_2", "order_update_1"], await NamesAsync(tab, "sort=last-event"));
        Assert.Empty(await NamesAsync(tab, "name=order&status=APPROVED&quality=GREEN"));
        await Assertions.Expect(tab.Page.Locator("#no-templates")).ToBeVisibleAsync();

        // The API agrees with the page on the new filters.
        var api = await _service.Client.GetOpsAsync("/api/templates?name=order&quality=red");
        Assert.Equal(["2002"], api.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("templateId").GetString()));
        tab.AssertNoProblems();
    }

    [Theory]
    [InlineData("limit=2")]
    [InlineData("limit=2&sort=name")]
    public async Task List_SmallPages_NextLinksVisitEveryTemplateOnce(string query)
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);
        await tab.SignInAsync(TestSecrets.OpsKey);

        await tab.GoAsync("/console/templates?" + query);
        var seen = new List<string>();
        var pages = 0;
        while (true)
        {
            var links = await tab.Page.Locator("#templates tbody tr td:first-child a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
            Assert.InRange(links.Length, 1, 2);
            seen.AddRange(links);
            pages++;
            var next = tab.Page.Locator("nav.pager a[rel=next]");
            if (await next.CountAsync() == 0)
            {
                break;
            }

            await next.ClickAsync();
        }

        Assert.Equal(3, pages);
        Assert.Equal(["/console/templates/1001", "/console/templates/2002", "/console/templates/3003", "/console/templates/4004", "/console/templates/5005"], seen.Order(StringComparer.Ordinal));
        tab.AssertNoProblems();
    }

    [Fact]
    public async Task Detail_RejectedTemplate_ShowsStateOwnerTimelineRawPayloadAndItsAlert()
    {
        // The alert to the owner's (fake, loopback) Teams workflow is delivered in the background.
        await Eventually.Until(
            () => _service.Client.GetOpsAsync("/api/notifications?templateId=1001"),
            page => page.GetProperty("items").EnumerateArray().Any(n => n.GetProperty("status").GetString() == "sent"),
            Wait,
            "the rejection alert to be sent");
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);
        await tab.SignInAsync(TestSecrets.OpsKey);

        await tab.GoAsync("/console/templates/1001");

        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("order_update_1");
        await Assertions.Expect(tab.Page.Locator("#state-status")).ToContainTextAsync("REJECTED");
        await Assertions.Expect(tab.Page.Locator("main")).ToContainTextAsync("INVALID_FORMAT");
        await Assertions.Expect(tab.Page.Locator("#owner")).ToContainTextAsync("Payments");
        await Assertions.Expect(tab.Page.Locator("#owner")).ToContainTextAsync("pattern");
        var events = tab.Page.Locator("#timeline tbody tr");
        await Assertions.Expect(events).ToHaveCountAsync(1);
        await Assertions.Expect(events).ToContainTextAsync("status");
        await Assertions.Expect(events).ToContainTextAsync("webhook");
        await Assertions.Expect(events).ToContainTextAsync("2026-05-28 20:26 UTC");
        var alert = tab.Page.Locator("#alerts tbody tr");
        await Assertions.Expect(alert).ToHaveCountAsync(1);
        await Assertions.Expect(alert).ToContainTextAsync("sent");
        Assert.Equal("/console/alerts?templateId=1001", await alert.Locator("a").GetAttributeAsync("href"));
        await Assertions.Expect(tab.Page.Locator("pre.raw")).ToHaveCountAsync(0);
        await tab.ScreenshotAsync("template");

        await tab.Page.Locator("#timeline summary").ClickAsync();
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "Show raw JSON" }).ClickAsync();
        var raw = tab.Page.Locator("pre.raw");
        await Assertions.Expect(raw).ToContainTextAsync("\"message_template_name\":\"order_update_1\"");
        using (JsonDocument.Parse(await raw.TextContentAsync() ?? ""))
        {
        }

        tab.AssertNoProblems();
    }

    [Fact]
    public async Task Detail_UnknownTemplate_Answers404WithFriendlyText()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);
        await tab.SignInAsync(TestSecrets.OpsKey);

        foreach (var id in new[] { "999999", "not-a-number" })
        {
            var response = await tab.Page.GotoAsync("/console/templates/" + id);
            Assert.Equal(404, response!.Status);
            await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Template not found");
        }

        // The browser reports the 404 itself as a console error, so only CSP violations and script errors are checked.
        Assert.All(tab.Problems, p => Assert.Contains("404", p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pages_TemplateNamedLikeAScript_ShowItAsTextWithoutRunningIt()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);
        var dialogs = 0;
        tab.Page.Dialog += (_, dialog) =>
        {
            dialogs++;
            _ = dialog.DismissAsync();
        };
        await tab.SignInAsync(TestSecrets.OpsKey);

        await tab.GoAsync("/console/templates?name=script");
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Link, new() { Name = ScriptName })).ToBeVisibleAsync();
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = ScriptName }).ClickAsync();
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(ScriptName);

        Assert.Equal(0, dialogs);
        tab.AssertNoProblems();
    }

    [Fact]
    public async Task Pages_PhoneWidth_HaveNoPageLevelHorizontalScroll()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!, width: 375, height: 800);
        await tab.SignInAsync(TestSecrets.OpsKey);

        foreach (var path in new[] { "/console/templates", "/console/templates/4004", "/console/templates/1001" })
        {
            await tab.GoAsync(path);
            var width = await tab.Page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(width <= 380, $"{path} is {width} px wide at a 375 px viewport.");
        }

        await tab.ScreenshotAsync("template-375");
        tab.AssertNoProblems();
    }

    private static async Task<List<string>> NamesAsync(ConsoleTab tab, string? query = null)
    {
        if (query is not null)
        {
            await tab.GoAsync("/console/templates?" + query);
        }

        return [.. await tab.Page.Locator("#templates tbody tr td:first-child a").AllTextContentsAsync()];
    }
}
