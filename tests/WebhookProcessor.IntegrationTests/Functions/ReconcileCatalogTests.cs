using System.Net;
using System.Text.Json;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.IntegrationTests.Reconciliation;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.IntegrationTests.Functions;

/// <summary>The ReconcileCatalog timer as the Functions host invokes it, on the app in Functions mode, with the per-account reconciler scripted.</summary>
public sealed class ReconcileCatalogTests
{
    private static readonly Dictionary<string, string?> Enabled = new()
    {
        ["Reconciliation:Enabled"] = "true",
        ["Meta:Accounts:0"] = "100",
    };

    private static async Task<string> TickAsync(InProcessService service)
    {
        using var response = await service.Client.Http.PostAsync("/ReconcileCatalog", Invocations.Content(Invocations.Timer()));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return string.Join(" | ", JsonDocument.Parse(text).RootElement.GetProperty("Logs").EnumerateArray().Select(l => l.GetString()));
    }

    [Fact]
    public async Task Invoke_AccountNeverReconciled_FullRunThenOnlyTheOverdueCheckOnTheNextTick()
    {
        var reconciler = new ScriptedAccountReconciler();
        await using var service = await ReconciliationHost.StartAsync(reconciler, Enabled, functions: true);

        var first = await TickAsync(service);
        var second = await TickAsync(service);

        var run = Assert.Single(await service.Store().ListRunsAsync(10));
        Assert.Equal((ReconciliationService.ScheduleTrigger, ReconciliationStatus.Succeeded), (run.Trigger, run.Status));
        Assert.Contains(run.Id, first, StringComparison.Ordinal);
        Assert.Contains("no overdue pending change", second, StringComparison.Ordinal);
        Assert.Equal([("100", true)], reconciler.Calls.Select(c => (c.WabaId, c.Bootstrap)));
    }

    [Fact]
    public async Task Invoke_LastScheduledRunOlderThanTheInterval_RunsAgain()
    {
        var reconciler = new ScriptedAccountReconciler();
        await using var service = await ReconciliationHost.StartAsync(reconciler, Enabled, functions: true);
        var longAgo = TimeProvider.System.GetUtcNow().AddHours(-7);
        await service.Store().MarkSucceededAsync("100", longAgo);
        await service.Store().SaveRunAsync(new ReconciliationRun(ReconciliationRunIds.New(longAgo), ReconciliationStatus.Succeeded, ReconciliationService.ScheduleTrigger, longAgo, longAgo, []));

        await TickAsync(service);

        Assert.Equal(2, (await service.Store().ListRunsAsync(10)).Count);
        Assert.Equal([("100", false)], reconciler.Calls.Select(c => (c.WabaId, c.Bootstrap)));
    }

    [Fact]
    public async Task Invoke_RecentScheduledRun_OnlyChecksOverdue()
    {
        var reconciler = new ScriptedAccountReconciler();
        await using var service = await ReconciliationHost.StartAsync(reconciler, Enabled, functions: true);
        var recently = TimeProvider.System.GetUtcNow().AddHours(-5);
        await service.Store().MarkSucceededAsync("100", recently);
        await service.Store().SaveRunAsync(new ReconciliationRun(ReconciliationRunIds.New(recently), ReconciliationStatus.Succeeded, ReconciliationService.ScheduleTrigger, recently, recently, []));

        var log = await TickAsync(service);

        Assert.Contains("no overdue pending change", log, StringComparison.Ordinal);
        Assert.Single(await service.Store().ListRunsAsync(10));
        Assert.Empty(reconciler.Calls);
    }

    [Theory]
    [InlineData(false, "true", "Meta:GraphApi:AccessToken")]
    [InlineData(true, "false", "Reconciliation:Enabled")]
    public async Task Invoke_WithoutTokenOrDisabled_SucceedsDoingNothing(bool token, string enabled, string named)
    {
        var reconciler = new ScriptedAccountReconciler();
        await using var service = await ReconciliationHost.StartAsync(reconciler, new(Enabled) { ["Reconciliation:Enabled"] = enabled }, token, functions: true);

        var log = await TickAsync(service);

        Assert.Contains(named, log, StringComparison.Ordinal);
        Assert.Empty(await service.Store().ListRunsAsync(10));
        Assert.Empty(reconciler.Calls);
    }
}
