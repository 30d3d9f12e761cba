using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>One browser tab on the console, with what went wrong in it recorded.</summary>
public sealed class ConsoleTab : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _problems = new();

    private ConsoleTab(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
    }

    public IPage Page { get; }

    /// <summary>Console errors, uncaught page errors and CSP violations seen so far.</summary>
    public IReadOnlyCollection<string> Problems => _problems;

    internal static async Task<ConsoleTab> AttachAsync(IBrowserContext context, IPage page)
    {
        var tab = new ConsoleTab(context, page);
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                tab._problems.Enqueue($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => tab._problems.Enqueue($"page error: {error}");
        // Playwright's init script runs through the debugging protocol, which the page's CSP does not
        // govern; it reports every violation the browser raises, even one the console would not show.
        await context.ExposeFunctionAsync("__reportCspViolation", (string text) => tab._problems.Enqueue("CSP violation: " + text));
        await context.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation', e =>
              window.__reportCspViolation(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));
            """);
        return tab;
    }

    public async Task GoAsync(string path)
    {
        var response = await Page.GotoAsync(path);
        if (response is null)
        {
            throw new InvalidOperationException($"No response for {path}.");
        }
    }

    public async Task SignInAsync(string key)
    {
        await GoAsync("/console/sign-in");
        await Page.GetByLabel(new System.Text.RegularExpressions.Regex("API key|Clave de API")).FillAsync(key);
        await Page.Locator("main form button[type=submit]").ClickAsync();
    }

    /// <summary>A full-page screenshot to <c>artifacts/screenshots/{name}.png</c>.</summary>
    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ConsoleBrowser.ScreenshotFolder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ConsoleBrowser.ScreenshotFolder, name + ".png"), FullPage = true });
    }

    /// <summary>Fails the test with every console error, page error and CSP violation seen.</summary>
    public void AssertNoProblems()
    {
        if (!_problems.IsEmpty)
        {
            Assert.Fail("The console page reported problems:\n" + string.Join("\n", _problems));
        }
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
