using System.Net;
using Microsoft.Playwright;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.OpsConsole;

/// <summary>Signing in and out of the console in a real browser, with a full key, a read-only key and a wrong one.</summary>
public sealed class ConsoleSignInTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>, IAsyncLifetime
{
    private const string ReadOnlyKey = "integration-read-only-key-0123456789";

    private InProcessService _service = null!;

    public async Task InitializeAsync() =>
        _service = await InProcessService.StartAsync(new Dictionary<string, string?> { ["Ops:ReadOnlyApiKeys:0"] = ReadOnlyKey });

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task SignIn_RightKey_OpensTheOverviewAndSignOutEndsTheSession()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);

        await tab.GoAsync("/console");
        Assert.EndsWith("/console/sign-in?returnUrl=%2Fconsole", tab.Page.Url, StringComparison.Ordinal);
        await tab.ScreenshotAsync("sign-in");
        await tab.SignInAsync(TestSecrets.OpsKey);

        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Overview");
        var cookies = await tab.Page.Context.CookiesAsync();
        var session = Assert.Single(cookies, c => c.Name == "console-session");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.DoesNotContain(TestSecrets.OpsKey, session.Value, StringComparison.Ordinal);
        Assert.DoesNotContain(TestSecrets.OpsKey, tab.Page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(TestSecrets.OpsKey, await tab.Page.ContentAsync(), StringComparison.Ordinal);

        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(tab.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/sign-in$"));
        await tab.GoAsync("/console");
        Assert.Contains("/console/sign-in", tab.Page.Url, StringComparison.Ordinal);
        tab.AssertNoProblems();
    }

    [Fact]
    public async Task SignIn_WrongKey_StaysOnTheFormWithAnError()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);

        await tab.SignInAsync("not-a-configured-key-0123456789");

        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That key is not configured.");
        Assert.DoesNotContain(await tab.Page.Context.CookiesAsync(), c => c.Name == "console-session");
    }

    [Fact]
    public async Task SignIn_ReadOnlyKey_SaysSoOnEveryPage()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);

        await tab.SignInAsync(ReadOnlyKey);

        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("read-only");
        tab.AssertNoProblems();
    }

    [Fact]
    public async Task Language_SpanishBrowser_ShowsSpanishAndTheSwitchGoesToEnglish()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!, locale: "es-MX");

        await tab.SignInAsync(TestSecrets.OpsKey);
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Resumen");
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();

        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Overview");
        Assert.Equal("en", await tab.Page.Locator("html").GetAttributeAsync("lang"));
        tab.AssertNoProblems();
    }

    [Fact]
    public async Task SignOut_SignedInWithoutAntiforgeryToken_IsRefused()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);
        await tab.SignInAsync(TestSecrets.OpsKey);

        // The session cookie goes along (same browser context), the form's token does not: a forged post.
        var response = await tab.Page.APIRequest.PostAsync("/console/sign-out", new() { Form = tab.Page.APIRequest.CreateFormData(), MaxRedirects = 0 });

        Assert.Equal((int)HttpStatusCode.BadRequest, response.Status);
        await tab.GoAsync("/console");
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Overview");
    }
}
