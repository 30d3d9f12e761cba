using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WebhookProcessor.Catalog;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.IntegrationTests.Ops;

namespace WebhookProcessor.IntegrationTests.OpsConsole;

/// <summary>
/// The dead-letters page in a real browser: a change dead-lettered while the catalog store was down, a
/// webhook that could not be read, and one that was not even UTF-8; their bodies, Replay, read-only refusals.
/// </summary>
public sealed class ConsoleDeadLettersTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>, IAsyncLifetime
{
    private const string ReadOnlyKey = "integration-read-only-key-0123456789";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly DeadLetterReplayTests.StoreSwitch _switch = new();
    private InProcessService _service = null!;
    private string _changeId = null!;
    private string _unreadableId = null!;
    private string _binaryId = null!;

    public async Task InitializeAsync()
    {
        _service = await InProcessService.StartAsync(new Dictionary<string, string?>
        {
            ["Ops:ReadOnlyApiKeys:0"] = ReadOnlyKey,
            ["Queue:MaxDeliveryCount"] = "2",
            ["Queue:RetryBaseDelay"] = "00:00:00.010",
            ["Queue:RetryMaxDelay"] = "00:00:00.050",
        }, overrides: services => services.AddSingleton<ITemplateStore>(sp => DeadLetterReplayTests.FailingStore.Wrap(sp.GetRequiredService<SqliteTemplateStore>(), _switch)));

        _switch.Failing = true;
        await PostAsync(System.Text.Encoding.UTF8.GetBytes(Samples.StatusWebhook(7501, 1781000000)));
        _changeId = (await WaitForAsync(items => items.FirstOrDefault(d => d.GetProperty("source").GetString() == "RetriesExhausted"))).GetProperty("id").GetString()!;
        _switch.Failing = false;
        await PostAsync(System.Text.Encoding.UTF8.GetBytes("""{"object":"whatsapp_business_account","entry":7,"note":"<script>alert(1)</script>"}"""));
        await PostAsync([0xff, 0xfe, 0x00, 0x41]);
        var intake = await Eventually.Until(
            async () => (await _service.Client.GetOpsAsync("/api/dead-letters?includeRaw=true")).GetProperty("items").EnumerateArray()
                .Where(d => d.GetProperty("source").GetString() == "Intake").ToList(),
            items => items.Count == 2, Wait, "two intake dead letters");
        _unreadableId = intake.Single(d => d.GetProperty("rawBody").ValueKind == JsonValueKind.String).GetProperty("id").GetString()!;
        _binaryId = intake.Single(d => d.GetProperty("rawBody").ValueKind != JsonValueKind.String).GetProperty("id").GetString()!;
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task DeadLetters_Seeded_ListedWithTheirBodiesOnDemandAsText()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);
        var dialogs = 0;
        tab.Page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        await tab.SignInAsync(TestSecrets.OpsKey);

        await tab.GoAsync("/console/dead-letters");

        await Assertions.Expect(tab.Page.Locator($"[id='dead-letter-{_changeId}']")).ToContainTextAsync("RetriesExhausted");
        await Assertions.Expect(tab.Page.Locator($"[id='dead-letter-{_unreadableId}']")).ToContainTextAsync("Intake");
        await Assertions.Expect(tab.Page.Locator($"[id='dead-letter-{_binaryId}']")).ToContainTextAsync("4 bytes");
        await Assertions.Expect(tab.Page.Locator("pre.raw")).ToHaveCountAsync(0);

        await tab.Page.Locator($"[id='dead-letter-{_unreadableId}']").GetByRole(AriaRole.Link, new() { Name = "Show body" }).ClickAsync();
        await Assertions.Expect(tab.Page.Locator("details[open] pre.raw")).ToHaveTextAsync("""{"object":"whatsapp_business_account","entry":7,"note":"<script>alert(1)</script>"}""");
        await tab.ScreenshotAsync("dead-letters");

        await tab.Page.Locator($"[id='dead-letter-{_binaryId}']").GetByRole(AriaRole.Link, new() { Name = "Show body" }).ClickAsync();
        await Assertions.Expect(tab.Page.Locator("details[open]")).ToContainTextAsync("Binary, shown as base64:");
        await Assertions.Expect(tab.Page.Locator("details[open] pre.raw")).ToHaveTextAsync(Convert.ToBase64String([0xff, 0xfe, 0x00, 0x41]));
        Assert.Equal(0, dialogs);
        tab.AssertNoProblems();
    }

    [Fact]
    public async Task DeadLetters_NarrowScreen_NoPageLevelSideScroll()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!, width: 375, height: 800);
        await tab.SignInAsync(TestSecrets.OpsKey);

        await tab.GoAsync($"/console/dead-letters?body={Uri.EscapeDataString(_unreadableId)}");

        await Assertions.Expect(tab.Page.Locator("pre.raw")).ToBeVisibleAsync();
        await ConsolePageChecks.AssertNoPageScrollAsync(tab.Page);
        tab.AssertNoProblems();
    }

    [Fact]
    public async Task Replay_ChangeAfterTheStoreCameBack_RemovedFromTheListAndApplied()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);
        var confirmations = new List<string>();
        tab.Page.Dialog += (_, dialog) => { confirmations.Add(dialog.Message); _ = dialog.AcceptAsync(); };
        await tab.SignInAsync(TestSecrets.OpsKey);
        await tab.GoAsync("/console/dead-letters");

        await tab.Page.Locator($"[id='dead-letter-{_changeId}']").GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();

        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Replayed: event");
        await Assertions.Expect(tab.Page.Locator($"[id='dead-letter-{_changeId}']")).ToHaveCountAsync(0);
        Assert.Equal(["Replay this dead letter? Its change goes back on the queue."], confirmations);
        await Eventually.Until(() => _service.Client.AllEventsAsync("&templateId=7501"), events => events.Count == 1, Wait, "the replayed change applied");

        // A webhook that could not be read holds no change: the page says why and keeps it.
        await tab.Page.Locator($"[id='dead-letter-{_unreadableId}']").GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This dead letter cannot be replayed:");
        await Assertions.Expect(tab.Page.Locator($"[id='dead-letter-{_unreadableId}']")).ToHaveCountAsync(1);
        ConsolePageChecks.AssertOnlyRefusals(tab, 422);
    }

    [Fact]
    public async Task Replay_ReadOnlySession_NoButtonAndForgedPostsRefused()
    {
        await using var tab = await browser.OpenAsync(_service.Client.Http.BaseAddress!);
        await tab.SignInAsync(ReadOnlyKey);

        await tab.GoAsync("/console/dead-letters");

        await Assertions.Expect(tab.Page.Locator($"[id='dead-letter-{_changeId}']")).ToBeVisibleAsync();
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Replay" })).ToHaveCountAsync(0);
        var token = await ConsolePageChecks.CsrfTokenAsync(tab.Page);
        var withToken = await ConsolePageChecks.PostFormAsync(tab.Page, "/console/dead-letters?handler=Replay", new Dictionary<string, string> { ["id"] = _changeId, ["__csrf"] = token });
        var withoutToken = await ConsolePageChecks.PostFormAsync(tab.Page, "/console/dead-letters?handler=Replay", new Dictionary<string, string> { ["id"] = _changeId });

        Assert.Equal((int)HttpStatusCode.Forbidden, withToken.Status);
        Assert.Equal((int)HttpStatusCode.BadRequest, withoutToken.Status);
        Assert.Equal(3, (await _service.Client.GetOpsAsync("/api/dead-letters")).GetProperty("items").GetArrayLength());
        tab.AssertNoProblems();
    }

    private Task<JsonElement> WaitForAsync(Func<List<JsonElement>, JsonElement> pick) =>
        Eventually.Until(
            async () => pick((await _service.Client.GetOpsAsync("/api/dead-letters")).GetProperty("items").EnumerateArray().ToList()),
            d => d.ValueKind == JsonValueKind.Object, Wait, "a dead letter");

    private async Task PostAsync(byte[] body)
    {
        using var response = await _service.Client.PostWebhookAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
