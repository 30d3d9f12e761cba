using System.Collections.Concurrent;
using Microsoft.Playwright;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.OpsConsole;

/// <summary>The API reference page in a real browser: behind the console sign-in, listing the ops API, loading nothing from another site.</summary>
public sealed class ConsoleApiReferenceTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>, IAsyncLifetime
{
    private InProcessService _service = null!;

    public async Task InitializeAsync() => _service = await InProcessService.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task ApiReference_SignedIn_ListsTheOpsApiFromThisSiteOnly()
    {
        var origin = _service.Client.Http.BaseAddress!;
        await using var tab = await browser.OpenAsync(origin);
        var requests = new ConcurrentQueue<string>();
        tab.Page.Request += (_, request) => requests.Enqueue(request.Url);
        await tab.SignInAsync(TestSecrets.OpsKey);

        await tab.GoAsync("/console/api");

        // Scalar answers /console/api with a redirect to /console/api/, so its relative asset URLs resolve.
        Assert.Equal("/console/api/", new Uri(tab.Page.Url).AbsolutePath);
        // Operations from the document, by summary and by path, once Scalar has read /openapi/v1.json.
        // A 5 MB bundle to parse first: a generous deadline on a busy machine.
        var loaded = new LocatorAssertionsToBeVisibleOptions { Timeout = 60_000 };
        await Assertions.Expect(tab.Page.GetByText("The template catalog, filtered and paged").First).ToBeVisibleAsync(loaded);
        await Assertions.Expect(tab.Page.GetByText("/api/templates").First).ToBeAttachedAsync();
        await Assertions.Expect(tab.Page.GetByText("Re-send a failed or unrouted alert").First).ToBeAttachedAsync();
        Assert.Contains(requests, url => new Uri(url).AbsolutePath == "/openapi/v1.json");
        // The page is tens of thousands of pixels long: the first screen tells a reader what it is.
        Directory.CreateDirectory(ConsoleBrowser.ScreenshotFolder);
        await tab.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ConsoleBrowser.ScreenshotFolder, "api-reference.png") });

        var elsewhere = requests.Where(url => !url.StartsWith("data:", StringComparison.Ordinal) && !url.StartsWith("blob:", StringComparison.Ordinal)
            && new Uri(url).GetLeftPart(UriPartial.Authority) != origin.GetLeftPart(UriPartial.Authority)).ToList();
        Assert.True(elsewhere.Count == 0, "The reference page asked another site for:\n" + string.Join("\n", elsewhere));
        // Scalar's bundle carries zod, which probes once whether it may compile validators with
        // new Function() and falls back when it may not. The console's CSP refuses eval, so that probe is
        // reported as a violation; it is the one problem allowed here, matched exactly.
        var probe = $"CSP violation: script-src blocked eval at {origin.GetLeftPart(UriPartial.Authority)}/console/api/scalar.js:";
        var problems = tab.Problems.Where(p => !p.StartsWith(probe, StringComparison.Ordinal)).ToList();
        Assert.True(problems.Count == 0, "The reference page reported problems:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task ApiReference_SignedOut_GoesToSignIn()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);

        await tab.GoAsync("/console/api");

        Assert.EndsWith("/console/sign-in?returnUrl=%2Fconsole%2Fapi", tab.Page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain("scalar", await tab.Page.ContentAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
