using Microsoft.Playwright;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.OpsConsole;

/// <summary>The events page in a real browser: filters, paging by the store's cursor, the raw change on demand.</summary>
public sealed class ConsoleEventsTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>, IAsyncLifetime
{
    private const string ScriptName = "<script>alert(1)</script>";

    private InProcessService _service = null!;

    public async Task InitializeAsync()
    {
        _service = await InProcessService.StartAsync();
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        // Six events a minute apart, newest last: four status updates, a category notice, another account's event.
        await PostAsync(Samples.StatusWebhook(2001, now - 600, statusEvent: "APPROVED"));
        await PostAsync(Samples.StatusWebhook(2002, now - 540, statusEvent: "REJECTED", reason: "INVALID_FORMAT"));
        await PostAsync(Samples.StatusWebhook(2003, now - 480, statusEvent: "APPROVED"));
        await PostAsync(Samples.StatusWebhook(2006, now - 420, statusEvent: "REJECTED").Replace("order_update_6", ScriptName, StringComparison.Ordinal));
        await PostAsync(Samples.CategoryNotice(2005, now - 360, "UTILITY", "MARKETING", now + 86400));
        await PostAsync(Samples.StatusWebhook(2004, now - 300, wabaId: "222333444555666"));
        await _service.Client.WaitForIdleAsync();
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Events_Filters_NarrowTheListAndBadInputsAreExplainedBesideTheField()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);
        var dialogs = 0;
        tab.Page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        await tab.SignInAsync(TestSecrets.OpsKey);
        await tab.GoAsync("/console/events");
        var page = tab.Page;
        var rows = page.Locator("#events > tbody > tr");

        await Assertions.Expect(rows).ToHaveCountAsync(6);
        await Assertions.Expect(page.Locator("#events").GetByRole(AriaRole.Link, new() { Name = ScriptName })).ToBeVisibleAsync();
        await tab.ScreenshotAsync("events");

        await page.GetByLabel("Template id").FillAsync("2002");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("INVALID_FORMAT");
        await Assertions.Expect(rows.First.Locator("a[href$='/console/templates/2002']")).ToBeVisibleAsync();

        await page.GetByLabel("Template id").FillAsync("");
        await page.GetByLabel("Kind").SelectOptionAsync("category-change-pending");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("UTILITY → MARKETING");

        await page.GetByLabel("Kind").SelectOptionAsync("");
        await page.GetByLabel("Status event").FillAsync("rejected");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(2);

        await page.GetByLabel("Status event").FillAsync("");
        await page.GetByLabel("Account (WABA id)").FillAsync("222333444555666");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First.Locator("a[href$='/console/templates/2004']")).ToBeVisibleAsync();

        await page.GetByLabel("Template id").FillAsync("abc");
        await page.GetByLabel("From (UTC, inclusive)").FillAsync("yesterday");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.Locator("#templateId-error")).ToContainTextAsync("positive whole number");
        await Assertions.Expect(page.GetByLabel("Template id")).ToHaveAttributeAsync("aria-describedby", "templateId-error");
        await Assertions.Expect(page.Locator("#from-error")).ToContainTextAsync("ISO 8601");
        await Assertions.Expect(page.Locator("#events")).ToHaveCountAsync(0);

        Assert.Equal(0, dialogs);
        tab.AssertNoProblems();
    }

    [Fact]
    public async Task Events_SmallPages_NextWalksEveryEventOnceNewestFirstAndFirstPageGoesBack()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);
        await tab.SignInAsync(TestSecrets.OpsKey);
        await tab.GoAsync("/console/events?limit=4");
        var page = tab.Page;
        var rows = page.Locator("#events > tbody > tr");

        await Assertions.Expect(rows).ToHaveCountAsync(4);
        var first = await TimesAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        var second = await TimesAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Next" })).ToHaveCountAsync(0);

        var all = first.Concat(second).ToList();
        Assert.Equal(6, all.Distinct().Count());
        Assert.Equal(all.OrderByDescending(t => t, StringComparer.Ordinal), all);

        await page.GetByRole(AriaRole.Link, new() { Name = "First page" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(4);
        Assert.Equal(first, await TimesAsync(page));
        tab.AssertNoProblems();
    }

    [Fact]
    public async Task Events_ShowRaw_LoadsThatEventsRawChangeOnlyWhenAsked()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!, locale: "es-MX");
        await tab.SignInAsync(TestSecrets.OpsKey);
        await tab.GoAsync("/console/events?templateId=2002");
        var page = tab.Page;

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Eventos");
        await Assertions.Expect(page.Locator("pre.raw")).ToHaveCountAsync(0);
        await page.Locator("#events").GetByRole(AriaRole.Link, new() { Name = "Mostrar" }).ClickAsync();

        var raw = page.Locator("#events pre.raw");
        await Assertions.Expect(raw).ToBeVisibleAsync();
        await Assertions.Expect(raw).ToContainTextAsync("\"message_template_id\":2002");
        await Assertions.Expect(raw).ToContainTextAsync("INVALID_FORMAT");
        await page.Locator("#events").GetByRole(AriaRole.Link, new() { Name = "Ocultar" }).ClickAsync();
        await Assertions.Expect(page.Locator("pre.raw")).ToHaveCountAsync(0);
        tab.AssertNoProblems();
    }

    [Fact]
    public async Task Events_PhoneWidth_DoesNotScrollSideways()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!, width: 375, height: 800);
        await tab.SignInAsync(TestSecrets.OpsKey);
        await tab.GoAsync("/console/events");

        await Assertions.Expect(tab.Page.Locator("#events > tbody > tr")).ToHaveCountAsync(6);
        var width = await tab.Page.EvaluateAsync<int>("document.documentElement.scrollWidth");

        Assert.True(width <= 378, $"The page is {width} px wide at a 375 px viewport.");
        tab.AssertNoProblems();
    }

    private static async Task<List<string>> TimesAsync(IPage page) =>
        [.. (await page.Locator("#events > tbody > tr > td:first-child time").AllAsync()).Select(t => t.GetAttributeAsync("datetime").GetAwaiter().GetResult()!)];

    private async Task PostAsync(string body)
    {
        using var response = await _service.Client.PostWebhookAsync(body);
        response.EnsureSuccessStatusCode();
    }
}
