using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using WebhookProcessor.Catalog;
using WebhookProcessor.Meta;
using WebhookProcessor.Notifications;
using WebhookProcessor.Processing;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.OpsConsole;

/// <summary>The overview in a real browser, over data that came in through the webhook endpoint.</summary>
public sealed class ConsoleOverviewTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>, IAsyncLifetime
{
    private const string ScriptName = "<script>alert(1)</script>";

    private InProcessService _service = null!;

    /// <summary>Every event seeded: when it occurred and its kind, to work out what the chart must show.</summary>
    private readonly List<(DateTimeOffset At, string Kind)> _seeded = [];

    public async Task InitializeAsync()
    {
        _service = await InProcessService.StartAsync();
        var now = TimeProvider.System.GetUtcNow();
        var hour = TimeSpan.FromHours(1);

        // An approved template, a rejected one, and one whose name is markup.
        await StatusAsync(1001, now - hour, "APPROVED", "UTILITY");
        await StatusAsync(1002, now - (2 * hour), "REJECTED", "MARKETING", reason: "INVALID_FORMAT");
        await PostAsync(Samples.StatusWebhook(1006, Seconds(now - (3 * hour)), statusEvent: "REJECTED", reason: "ABUSIVE_CONTENT").Replace("order_update_6", ScriptName, StringComparison.Ordinal), now - (3 * hour), "status");

        // A change in three days (and an hour, so it still reads "in 3 days" a while later), one without a date, one overdue.
        await StatusAsync(1003, now - (5 * hour), "APPROVED", "UTILITY");
        await NoticeAsync(1003, now - (4 * hour), now + TimeSpan.FromDays(3) + hour);
        await StatusAsync(1004, now - (5 * hour), "APPROVED", "UTILITY");
        await _service.Client.WaitForIdleAsync();
        await UndatedChangeAsync(1004, now - (4 * hour));
        await NoticeAsync(1005, now - TimeSpan.FromDays(3), now - TimeSpan.FromDays(2));
        await StatusAsync(1005, now - (6 * hour), "APPROVED", "UTILITY");
        await _service.Client.WaitForIdleAsync();
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Overview_SeededCatalog_ShowsCountsChangesRejectionsQueueAndChart()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);
        var dialogs = 0;
        tab.Page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        await tab.SignInAsync(TestSecrets.OpsKey);
        var page = tab.Page;

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Overview");
        await Assertions.Expect(page.Locator("#template-count")).ToHaveTextAsync("6");
        await Assertions.Expect(Row(page, "#by-status", "APPROVED")).ToContainTextAsync("4");
        await Assertions.Expect(Row(page, "#by-status", "REJECTED")).ToContainTextAsync("2");
        await Assertions.Expect(Row(page, "#by-category", "UTILITY")).ToContainTextAsync("5");
        await Assertions.Expect(Row(page, "#by-category", "MARKETING")).ToContainTextAsync("1");

        var upcoming = page.Locator("#upcoming");
        await Assertions.Expect(upcoming.Locator("tr", new() { Has = page.Locator("a[href$='/console/templates/1003']") })).ToContainTextAsync("in 3 days");
        await Assertions.Expect(upcoming.Locator("tr", new() { Has = page.Locator("a[href$='/console/templates/1005']") })).ToContainTextAsync("Overdue");
        await Assertions.Expect(page.Locator("#date-unknown tr", new() { Has = page.Locator("a[href$='/console/templates/1004']") })).ToContainTextAsync("date unknown");

        var recent = page.Locator("#recent");
        await Assertions.Expect(recent.Locator("tr", new() { Has = page.Locator("a[href$='/console/templates/1002']") })).ToContainTextAsync("INVALID_FORMAT");
        await Assertions.Expect(recent.GetByRole(AriaRole.Link, new() { Name = ScriptName })).ToBeVisibleAsync();
        await Assertions.Expect(recent.Locator("tbody tr")).ToHaveCountAsync(2);

        var health = await _service.Client.HealthAsync();
        await Assertions.Expect(page.Locator("#alerts-unrouted .value")).ToHaveTextAsync(health.GetProperty("unroutedAlerts").GetInt32().ToString(CultureInfo.InvariantCulture));
        Assert.True(health.GetProperty("unroutedAlerts").GetInt32() > 0, "Without owners, the rejections' alerts are unrouted.");
        await Assertions.Expect(page.Locator("#alerts-unrouted a")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("/console/alerts\\?status=unrouted$"));
        await Assertions.Expect(page.Locator("#alerts-failed .value")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("#dead-letters .value")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("#queue-depth .value")).ToHaveTextAsync("0");

        // One bar segment per day and kind seeded, holding exactly the seeded counts.
        var expected = _seeded.GroupBy(s => (DateOnly.FromDateTime(s.At.UtcDateTime), s.Kind)).ToDictionary(g => g.Key, g => g.Count());
        var chart = page.Locator("svg#events-chart[role=img]");
        await Assertions.Expect(chart.Locator("title").First).ToHaveTextAsync("Events per day, last 30 days");
        var bars = chart.Locator("rect.bar");
        await Assertions.Expect(bars).ToHaveCountAsync(expected.Count);
        foreach (var bar in await bars.AllAsync())
        {
            var day = DateOnly.ParseExact((await bar.GetAttributeAsync("data-day"))!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var kind = (await bar.GetAttributeAsync("data-kind"))!;
            Assert.Equal(expected[(day, kind)], int.Parse((await bar.GetAttributeAsync("data-count"))!, CultureInfo.InvariantCulture));
            Assert.True(double.Parse((await bar.GetAttributeAsync("height"))!, CultureInfo.InvariantCulture) > 0);
        }

        await page.GetByText("The chart's numbers as a table").ClickAsync();
        await Assertions.Expect(page.Locator("#chart-data tbody tr")).ToHaveCountAsync(expected.Keys.Select(k => k.Item1).Distinct().Count());
        await tab.ScreenshotAsync("overview");

        Assert.Equal(0, dialogs);
        tab.AssertNoProblems();
    }

    [Fact]
    public async Task Overview_SpanishBrowser_ShowsTheSameInSpanish()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!, locale: "es-MX");
        await tab.SignInAsync(TestSecrets.OpsKey);
        var page = tab.Page;

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Resumen");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Cambios de categoría en los próximos 7 días" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#upcoming tr", new() { Has = page.Locator("a[href$='/console/templates/1003']") })).ToContainTextAsync("en 3 días");
        await Assertions.Expect(page.Locator("#upcoming tr", new() { Has = page.Locator("a[href$='/console/templates/1005']") })).ToContainTextAsync("Vencido");
        await Assertions.Expect(page.Locator("#date-unknown")).ToContainTextAsync("fecha desconocida");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Rechazos, pausas y desactivaciones de los últimos 7 días" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("svg#events-chart title").First).ToHaveTextAsync("Eventos por día, últimos 30 días");
        await Assertions.Expect(page.Locator(".legend")).ToContainTextAsync("Actualización de estado");
        tab.AssertNoProblems();
    }

    [Fact]
    public async Task Overview_PhoneWidth_DoesNotScrollSideways()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!, width: 375, height: 800);
        await tab.SignInAsync(TestSecrets.OpsKey);

        await Assertions.Expect(tab.Page.Locator("svg#events-chart")).ToBeVisibleAsync();
        var width = await tab.Page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        await tab.ScreenshotAsync("overview-375");

        Assert.True(width <= 378, $"The page is {width} px wide at a 375 px viewport.");
        tab.AssertNoProblems();
    }

    private static ILocator Row(IPage page, string table, string name) =>
        page.Locator($"{table} tbody tr", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }) });

    private static long Seconds(DateTimeOffset time) => time.ToUnixTimeSeconds();

    private Task StatusAsync(long templateId, DateTimeOffset at, string statusEvent, string category, string reason = "NONE") =>
        PostAsync(Samples.StatusWebhook(templateId, Seconds(at), statusEvent: statusEvent, category: category, reason: reason), at, "status");

    private Task NoticeAsync(long templateId, DateTimeOffset at, DateTimeOffset? effective) =>
        PostAsync(Samples.CategoryNotice(templateId, Seconds(at), "UTILITY", "MARKETING", effective is { } e ? Seconds(e) : null), at, "category-change-pending");

    /// <summary>
    /// A pending change with no date, as reconciliation records one when the Graph API shows a change
    /// without a time (a webhook notice always has one): applied through the service's own store and rules.
    /// </summary>
    private async Task UndatedChangeAsync(long templateId, DateTimeOffset at)
    {
        var store = _service.Services.GetRequiredService<ITemplateStore>();
        var owners = await _service.Services.GetRequiredService<INotificationStore>().ListOwnersAsync();
        var alerts = _service.Services.GetRequiredService<IOptions<NotificationOptions>>().Value;
        var change = new TemplateEvent
        {
            EventId = $"undated-{templateId}",
            WabaId = "109876543210987",
            Field = MetaFields.CategoryUpdate,
            Kind = EventKind.CategoryChangePending,
            TemplateId = templateId,
            Category = "UTILITY",
            NewCategory = "MARKETING",
            OccurredAt = at,
            ReceivedAt = at,
            Source = EventSource.Reconciliation,
            Raw = "{}",
        };
        await store.ApplyAsync([change], at, (current, e) => TemplateDecision.Decide(current, e, owners, alerts));
        _seeded.Add((at, "category-change-pending"));
    }

    private async Task PostAsync(string body, DateTimeOffset at, string kind)
    {
        using var response = await _service.Client.PostWebhookAsync(body);
        response.EnsureSuccessStatusCode();
        // Meta's entry time has whole seconds: that is the time the history keeps.
        _seeded.Add((DateTimeOffset.FromUnixTimeSeconds(Seconds(at)), kind));
    }
}
