using System.Net;
using Microsoft.Playwright;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.OpsConsole;

/// <summary>The owners list and form in a real browser: listing, the validator's errors beside their fields, create/edit/delete, read-only refusals.</summary>
public sealed class ConsoleOwnersTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>, IAsyncLifetime
{
    private const string ReadOnlyKey = "integration-read-only-key-0123456789";
    private const string Script = "<script>alert(1)</script>";
    private const string TeamsUrl = "https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=owner-secret-signature";

    private InProcessService _service = null!;

    public async Task InitializeAsync()
    {
        _service = await InProcessService.StartAsync(new Dictionary<string, string?> { ["Ops:ReadOnlyApiKeys:0"] = ReadOnlyKey });
        using var response = await _service.Client.SendOpsAsync(HttpMethod.Put, "/api/owners/payments", new
        {
            displayName = Script,
            emails = new[] { "pagos@example.com" },
            teamsWebhookUrl = TeamsUrl,
            language = "en",
            match = new { wabaId = "109876543210987", templateNamePattern = "payment_*" },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Owners_Seeded_ListedAsTextWithTheTeamsHostOnly()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);
        var dialogs = 0;
        tab.Page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        await tab.SignInAsync(TestSecrets.OpsKey);

        await tab.GoAsync("/console/owners");

        var row = tab.Page.Locator("tr#owner-payments");
        await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync(Script);
        await Assertions.Expect(row).ToContainTextAsync("pagos@example.com");
        await Assertions.Expect(row).ToContainTextAsync("payment_*");
        await Assertions.Expect(row).ToContainTextAsync("109876543210987");
        await Assertions.Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("prod-01.westeurope.logic.azure.com");
        await Assertions.Expect(row.Locator("td").Nth(6)).ToHaveTextAsync("no");
        var html = await tab.Page.ContentAsync();
        Assert.DoesNotContain("owner-secret-signature", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Script, html, StringComparison.Ordinal);
        await tab.ScreenshotAsync("owners");
        Assert.Equal(0, dialogs);
        tab.AssertNoProblems();
    }

    [Fact]
    public async Task OwnerForm_InvalidFields_ErrorsBesideTheFieldsTheyConcern()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);
        await tab.SignInAsync(TestSecrets.OpsKey);
        await tab.GoAsync("/console/owners");
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "New owner" }).ClickAsync();

        await tab.Page.GetByLabel("Id", new() { Exact = true }).FillAsync("marketing");
        await tab.Page.GetByLabel("E-mail addresses").FillAsync("not-an-address");
        await tab.Page.GetByLabel("WhatsApp Business Account id").FillAsync("12ab");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Some fields need a change");
        await AssertFieldErrorAsync(tab.Page, "display-name", "displayName is required");
        await AssertFieldErrorAsync(tab.Page, "emails", "'not-an-address' is not a valid e-mail address");
        await AssertFieldErrorAsync(tab.Page, "waba-id", "digits only");
        await Assertions.Expect(tab.Page.Locator("#name-pattern")).ToHaveAttributeAsync("aria-invalid", "false");
        // What was typed stays in the form.
        await Assertions.Expect(tab.Page.Locator("#emails")).ToHaveValueAsync("not-an-address");
        await tab.ScreenshotAsync("owner-form-errors");
        Assert.Equal(HttpStatusCode.NotFound, (await _service.Client.SendOpsAsync("/api/owners/marketing")).StatusCode);
        ConsolePageChecks.AssertOnlyRefusals(tab, 400);

        await tab.Page.SetViewportSizeAsync(375, 800);
        await ConsolePageChecks.AssertNoPageScrollAsync(tab.Page);
    }

    [Fact]
    public async Task OwnerForm_CreateEditDelete_RoundTripsThroughTheApi()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);
        var confirmations = new List<string>();
        tab.Page.Dialog += (_, dialog) => { confirmations.Add(dialog.Message); _ = dialog.AcceptAsync(); };
        await tab.SignInAsync(TestSecrets.OpsKey);
        await tab.GoAsync("/console/owners/new");

        await tab.Page.GetByLabel("Id", new() { Exact = true }).FillAsync("marketing");
        await tab.Page.GetByLabel("Display name").FillAsync("Equipo de marketing");
        await tab.Page.GetByLabel("E-mail addresses").FillAsync("mkt@example.com\nlead@example.com");
        await tab.Page.GetByLabel("Teams Workflows URL").FillAsync(TeamsUrl);
        await tab.Page.GetByLabel("Template name pattern").FillAsync("promo_*");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Owner marketing saved.");
        await Assertions.Expect(tab.Page.Locator("tr#owner-marketing")).ToContainTextAsync("Equipo de marketing");
        var created = await _service.Client.GetOpsAsync("/api/owners/marketing");
        Assert.Equal(["mkt@example.com", "lead@example.com"], created.GetProperty("emails").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("promo_*", created.GetProperty("match").GetProperty("templateNamePattern").GetString());
        Assert.Equal("es", created.GetProperty("language").GetString());

        // Edit: the Teams URL is not sent back to the browser; left empty it is kept.
        await tab.Page.Locator("tr#owner-marketing").GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Owner marketing");
        Assert.DoesNotContain("owner-secret-signature", await tab.Page.ContentAsync(), StringComparison.Ordinal);
        await tab.Page.GetByLabel("Display name").FillAsync("Marketing");
        await tab.Page.GetByLabel("Alert language").SelectOptionAsync("en");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(tab.Page.Locator("tr#owner-marketing td").Nth(1)).ToHaveTextAsync("Marketing");
        var edited = await _service.Client.GetOpsAsync("/api/owners/marketing");
        Assert.Equal("en", edited.GetProperty("language").GetString());
        Assert.Equal("https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke", edited.GetProperty("teamsWebhookUrl").GetString());

        await tab.Page.Locator("tr#owner-marketing").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Owner marketing deleted.");
        await Assertions.Expect(tab.Page.Locator("tr#owner-marketing")).ToHaveCountAsync(0);
        Assert.Single(confirmations);
        Assert.Equal(HttpStatusCode.NotFound, (await _service.Client.SendOpsAsync("/api/owners/marketing")).StatusCode);
        tab.AssertNoProblems();
    }

    [Fact]
    public async Task Owners_ReadOnlySession_NoChangeButtonsAndForgedPostsRefused()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);
        await tab.SignInAsync(ReadOnlyKey);

        await tab.GoAsync("/console/owners");

        await Assertions.Expect(tab.Page.Locator("tr#owner-payments")).ToBeVisibleAsync();
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Delete" })).ToHaveCountAsync(0);
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Edit" })).ToHaveCountAsync(0);
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Link, new() { Name = "New owner" })).ToHaveCountAsync(0);
        var token = await ConsolePageChecks.CsrfTokenAsync(tab.Page);

        var delete = await ConsolePageChecks.PostFormAsync(tab.Page, "/console/owners?handler=Delete", new Dictionary<string, string> { ["id"] = "payments", ["__csrf"] = token });
        var create = await ConsolePageChecks.PostFormAsync(tab.Page, "/console/owners/new", new Dictionary<string, string>
        {
            ["OwnerId"] = "sneaky", ["DisplayName"] = "Sneaky", ["Emails"] = "s@example.com", ["__csrf"] = token,
        });
        var edit = await ConsolePageChecks.PostFormAsync(tab.Page, "/console/owners/payments", new Dictionary<string, string>
        {
            ["DisplayName"] = "Renamed", ["Emails"] = "s@example.com", ["__csrf"] = token,
        });
        var withoutToken = await ConsolePageChecks.PostFormAsync(tab.Page, "/console/owners?handler=Delete", new Dictionary<string, string> { ["id"] = "payments" });
        var form = await tab.Page.APIRequest.GetAsync("/console/owners/new");

        Assert.Equal([403, 403, 403, 400, 403], new[] { delete.Status, create.Status, edit.Status, withoutToken.Status, form.Status });
        Assert.Equal(Script, (await _service.Client.GetOpsAsync("/api/owners/payments")).GetProperty("displayName").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _service.Client.SendOpsAsync("/api/owners/sneaky")).StatusCode);
        tab.AssertNoProblems();
    }

    private static async Task AssertFieldErrorAsync(IPage page, string fieldId, string text)
    {
        var field = page.Locator($"#{fieldId}");
        await Assertions.Expect(field).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator($"span.field-error#{fieldId}-error")).ToContainTextAsync(text);
        await Assertions.Expect(field).ToHaveAttributeAsync("aria-describedby", new System.Text.RegularExpressions.Regex($"(^| ){fieldId}-error( |$)"));
        // The error follows its field, so it reads beside it.
        var follows = await page.EvaluateAsync<bool>(
            "id => { const f = document.getElementById(id), e = document.getElementById(id + '-error'); return !!(f.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING); }", fieldId);
        Assert.True(follows, $"The error of {fieldId} is not after its field.");
    }
}
