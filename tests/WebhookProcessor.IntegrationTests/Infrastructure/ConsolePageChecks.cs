using Microsoft.Playwright;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>Checks the alerts, dead-letter and owner page tests share.</summary>
public static class ConsolePageChecks
{
    /// <summary>Fails when the page as a whole scrolls sideways (wide tables must scroll inside their own wrapper).</summary>
    public static async Task AssertNoPageScrollAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        if (widths[0] > widths[1])
        {
            // Name the widest culprits so the failure says what to fix.
            var wide = await page.EvaluateAsync<string[]>("""
                w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w && !e.closest('.table-wrap'))
                  .slice(0, 8).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '') + ' ' + Math.round(e.getBoundingClientRect().right))
                """, widths[1]);
            Assert.Fail($"The page is {widths[0]} px wide in a {widths[1]} px viewport; wider: {string.Join(", ", wide)}");
        }
    }

    /// <summary>Fails unless every problem the tab saw is the browser's note about a response with the expected status (a refused action).</summary>
    public static void AssertOnlyRefusals(ConsoleTab tab, int status)
    {
        var other = tab.Problems.Where(p => !p.Contains($"status of {status} ", StringComparison.Ordinal)).ToList();
        Assert.True(other.Count == 0, "The console page reported problems:\n" + string.Join("\n", other));
    }

    /// <summary>The antiforgery token of the first form on the page (the sign-out form is on every page).</summary>
    public static async Task<string> CsrfTokenAsync(IPage page) =>
        await page.Locator("input[name=__csrf]").First.GetAttributeAsync("value")
            ?? throw new InvalidOperationException("No antiforgery token on the page.");

    /// <summary>POSTs a form from the signed-in browser context, the way a forged form would.</summary>
    public static async Task<IAPIResponse> PostFormAsync(IPage page, string path, IDictionary<string, string> fields)
    {
        var form = page.APIRequest.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }

        return await page.APIRequest.PostAsync(path, new() { Form = form });
    }
}
