using Microsoft.Playwright;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright, one browser per test class (an xunit class fixture). Each
/// <see cref="OpenAsync"/> gives a fresh context (no cookies shared between tests) whose page records
/// every console error, page error and Content-Security-Policy violation, so a test can assert there
/// were none.
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    /// <summary>Where screenshots go on every run: <c>artifacts/screenshots/</c> at the repository root.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(NodeTools.RepositoryRoot, "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        var executable = await Chromium.EnsureInstalledAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            // Running as root in a container without a user namespace sandbox.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    /// <param name="width">375 for a phone.</param>
    public async Task<ConsoleTab> OpenAsync(Uri baseAddress, int width = 1280, int height = 900, string locale = "en-US")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = locale,
            TimezoneId = "America/Mexico_City",
        });
        var page = await context.NewPageAsync();
        return await ConsoleTab.AttachAsync(context, page);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
