using System.Net;
using Microsoft.Playwright;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.OpsConsole;

/// <summary>
/// The "done when", as a newcomer does it: sign in with the key, send the sample category notice
/// the way <c>send</c> does (signed, through the webhook endpoint), then find the template, its pending
/// change and its alert by clicking through the console, reading no JSON.
/// </summary>
public sealed class ConsoleNewcomerTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>, IAsyncLifetime
{
    private InProcessService _service = null!;

    public async Task InitializeAsync() => _service = await InProcessService.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Console_SampleCategoryNotice_FindsTemplatePendingChangeAndAlertByClicking()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);
        await tab.SignInAsync(TestSecrets.OpsKey);
        using (var response = await _service.Client.PostWebhookAsync(Samples.Read("category-update-impending.json")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await _service.Client.WaitForIdleAsync();

        await tab.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" }).GetByRole(AriaRole.Link, new() { Name = "Templates" }).ClickAsync();
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "welcome_template" }).ClickAsync();

        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("welcome_template");
        await Assertions.Expect(tab.Page.Locator("#state-pending")).ToContainTextAsync("MARKETING");
        var alerts = tab.Page.Locator("#alerts tbody tr");
        await Assertions.Expect(alerts).ToHaveCountAsync(1);
        await Assertions.Expect(alerts.First).ToContainTextAsync(new System.Text.RegularExpressions.Regex("unrouted|Unrouted|sin responsable", System.Text.RegularExpressions.RegexOptions.IgnoreCase));
        await tab.ScreenshotAsync("newcomer-template");
        tab.AssertNoProblems();
    }
}
