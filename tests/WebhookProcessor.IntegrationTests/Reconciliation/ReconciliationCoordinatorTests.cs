using System.Net;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.IntegrationTests.Reconciliation;

/// <summary>Runs through the app's own coordinator and stores, with only the per-account reconciler scripted.</summary>
public sealed class ReconciliationCoordinatorTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static Dictionary<string, string?> Accounts(params string[] ids) =>
        ids.Select((id, i) => (id, i)).ToDictionary(a => $"Meta:Accounts:{a.i}", a => (string?)a.id);

    [Fact]
    public async Task RunAsync_AccountsFromSettingsCatalogAndStore_EachReconciledOnceInOrder()
    {
        var reconciler = new ScriptedAccountReconciler();
        await using var service = await ReconciliationHost.StartAsync(reconciler, Accounts("300", "100"));
        using (var posted = await service.Client.PostWebhookAsync(Samples.StatusWebhook(4401, 1751247548, wabaId: "200")))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        await service.Client.WaitForIdleAsync();
        var earlier = TimeProvider.System.GetUtcNow().AddHours(-1);
        await service.Store().MarkSucceededAsync("400", earlier);
        await service.Store().MarkSucceededAsync("300", earlier);

        var run = await service.Coordinator().RunAsync(null, "cli", CancellationToken.None);

        Assert.Equal(ReconciliationStatus.Succeeded, run.Status);
        Assert.Equal("cli", run.Trigger);
        Assert.NotNull(run.EndedAt);
        Assert.Equal(["100", "200", "300", "400"], run.Accounts.Select(a => a.WabaId));
        Assert.Equal(["100", "200", "300", "400"], reconciler.Calls.Select(c => c.WabaId));
        Assert.Equal([true, true, false, false], run.Accounts.Select(a => a.Bootstrap));
        Assert.All(run.Accounts, a => Assert.Equal((AccountRunStatus.Succeeded, 12, 3, 2), (a.Status, a.TemplatesSeen, a.Added, a.Changed)));
        var stored = await service.Store().GetRunAsync(run.Id);
        Assert.Equal((run.Status, run.Trigger), (stored!.Status, stored.Trigger));
        Assert.Equal(run.Accounts.Select(a => (a.WabaId, a.Status, a.TemplatesSeen, a.Bootstrap)), stored.Accounts.Select(a => (a.WabaId, a.Status, a.TemplatesSeen, a.Bootstrap)));
        var accounts = await service.Store().ListAccountsAsync();
        Assert.All(accounts, a => Assert.True(a.LastSucceededAt > earlier && a.HeldByRunId is null, $"{a.WabaId}: {a}"));
    }

    [Fact]
    public async Task RunAsync_SomeAccountsFail_PartialAndOnlySuccessesRecorded()
    {
        var reconciler = new ScriptedAccountReconciler
        {
            Behaviour = (waba, _, _) => Task.FromResult(waba == "200" ? ScriptedAccountReconciler.Failed(waba, "Meta:GraphApi:AccessToken was refused (code 190).") : ScriptedAccountReconciler.Succeeded(waba)),
        };
        await using var service = await ReconciliationHost.StartAsync(reconciler, Accounts("100", "200"));

        var run = await service.Coordinator().RunAsync(null, "cli", CancellationToken.None);

        Assert.Equal(ReconciliationStatus.Partial, run.Status);
        Assert.Equal([AccountRunStatus.Succeeded, AccountRunStatus.Failed], run.Accounts.Select(a => a.Status));
        Assert.Contains("code 190", run.Accounts[1].Error, StringComparison.Ordinal);
        var accounts = (await service.Store().ListAccountsAsync()).ToDictionary(a => a.WabaId);
        Assert.NotNull(accounts["100"].LastSucceededAt);
        Assert.Null(accounts["200"].LastSucceededAt);
        Assert.Null(accounts["200"].HeldByRunId);
    }

    [Fact]
    public async Task RunAsync_EveryAccountFails_Failed()
    {
        var reconciler = new ScriptedAccountReconciler { Behaviour = (waba, _, _) => Task.FromResult(ScriptedAccountReconciler.Failed(waba, "throttled")) };
        await using var service = await ReconciliationHost.StartAsync(reconciler, Accounts("100", "200"));

        var run = await service.Coordinator().RunAsync(null, "cli", CancellationToken.None);

        Assert.Equal(ReconciliationStatus.Failed, run.Status);
        Assert.All(await service.Store().ListAccountsAsync(), a => Assert.Null(a.HeldByRunId));
    }

    [Fact]
    public async Task RunAsync_NoAccounts_SucceedsWithAnEmptyList()
    {
        var reconciler = new ScriptedAccountReconciler();
        await using var service = await ReconciliationHost.StartAsync(reconciler);

        var run = await service.Coordinator().RunAsync(null, "cli", CancellationToken.None);

        Assert.Equal(ReconciliationStatus.Succeeded, run.Status);
        Assert.Empty(run.Accounts);
        Assert.Empty(reconciler.Calls);
        Assert.Equal(ReconciliationStatus.Succeeded, (await service.Store().GetRunAsync(run.Id))?.Status);
    }

    [Fact]
    public async Task RunAsync_AccountHeldByAnotherRun_SkipsItNamingTheHolder()
    {
        var reconciler = new ScriptedAccountReconciler();
        await using var service = await ReconciliationHost.StartAsync(reconciler, Accounts("100", "200"));
        var holder = await service.Store().HoldAsync("100");

        var run = await service.Coordinator().RunAsync(null, "api", CancellationToken.None);

        Assert.Equal(ReconciliationStatus.Partial, run.Status);
        Assert.Equal(AccountRunStatus.Skipped, run.Accounts[0].Status);
        Assert.Contains(holder, run.Accounts[0].Error, StringComparison.Ordinal);
        Assert.Equal(["200"], reconciler.Calls.Select(c => c.WabaId));
        Assert.Equal(holder, (await service.Store().ListAccountsAsync()).Single(a => a.WabaId == "100").HeldByRunId);
    }

    [Fact]
    public async Task RunAsync_ReconcilerThrows_AccountFailedClaimReleasedAndTheRunCarriesOn()
    {
        var reconciler = new ScriptedAccountReconciler
        {
            Behaviour = (waba, _, _) => waba == "100"
                ? throw new InvalidOperationException("the catalog store is unreachable")
                : Task.FromResult(ScriptedAccountReconciler.Succeeded(waba)),
        };
        await using var service = await ReconciliationHost.StartAsync(reconciler, Accounts("100", "200"));

        var run = await service.Coordinator().RunAsync(null, "cli", CancellationToken.None);

        Assert.Equal(ReconciliationStatus.Partial, run.Status);
        Assert.Equal(AccountRunStatus.Failed, run.Accounts[0].Status);
        Assert.Contains(nameof(InvalidOperationException), run.Accounts[0].Error, StringComparison.Ordinal);
        Assert.NotNull(run.Accounts[0].EndedAt);
        Assert.Equal(AccountRunStatus.Succeeded, run.Accounts[1].Status);
        var failed = (await service.Store().ListAccountsAsync()).Single(a => a.WabaId == "100");
        Assert.Null(failed.HeldByRunId);
        Assert.Null(failed.LastSucceededAt);
    }

    [Fact]
    public async Task StartAsync_ReconcilerThrowsInTheBackground_RunEndsFailedWithTheErrorRecorded()
    {
        var reconciler = new ScriptedAccountReconciler { Behaviour = (_, _, _) => throw new IOException("disk gone") };
        await using var service = await ReconciliationHost.StartAsync(reconciler, Accounts("100"));

        var started = await service.Coordinator().StartAsync(null, "api", CancellationToken.None);

        Assert.Equal(ReconciliationStatus.Running, started.Status);
        var ended = await Eventually.Until(() => service.Store().GetRunAsync(started.Id), r => r?.Status != ReconciliationStatus.Running, Wait, "the run to end");
        Assert.Equal(ReconciliationStatus.Failed, ended!.Status);
        Assert.Contains(nameof(IOException), Assert.Single(ended.Accounts).Error, StringComparison.Ordinal);
        Assert.NotNull(ended.EndedAt);
    }

    [Fact]
    public async Task StartAsync_OneAccountAlreadyHeld_RefusedNamingTheRunAndNothingStored()
    {
        var reconciler = new ScriptedAccountReconciler();
        await using var service = await ReconciliationHost.StartAsync(reconciler);
        var holder = await service.Store().HoldAsync("100");

        var refused = await Assert.ThrowsAsync<ReconciliationRefusedException>(() => service.Coordinator().StartAsync("100", "api", CancellationToken.None));

        Assert.Equal(holder, refused.HeldByRunId);
        Assert.Contains(holder, refused.Message, StringComparison.Ordinal);
        Assert.Empty(await service.Store().ListRunsAsync(10));
        Assert.Empty(reconciler.Calls);
    }

    [Fact]
    public async Task StartAsync_NoGraphApiToken_RefusedNamingTheSetting()
    {
        var reconciler = new ScriptedAccountReconciler();
        await using var service = await ReconciliationHost.StartAsync(reconciler, Accounts("100"), token: false);

        var refused = await Assert.ThrowsAsync<ReconciliationRefusedException>(() => service.Coordinator().StartAsync(null, "api", CancellationToken.None));

        Assert.Contains("Meta:GraphApi:AccessToken", refused.Message, StringComparison.Ordinal);
        Assert.Null(refused.HeldByRunId);
        Assert.Empty(await service.Store().ListRunsAsync(10));
    }

    [Fact]
    public async Task StartAsync_ServiceStopsMidRun_RunSavedAsFailedAndAccountReleased()
    {
        var reconciler = new ScriptedAccountReconciler
        {
            Behaviour = async (waba, _, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return ScriptedAccountReconciler.Succeeded(waba);
            },
        };
        var folder = Path.Combine(Path.GetTempPath(), "wp-it-" + Guid.NewGuid().ToString("N"));
        string runId;
        var service = await ReconciliationHost.StartAsync(reconciler, Accounts("100"), dataFolder: folder);
        try
        {
            runId = (await service.Coordinator().StartAsync(null, "api", CancellationToken.None)).Id;
            await Eventually.Until(() => Task.FromResult(reconciler.Calls.Count), n => n == 1, Wait, "the account to be in progress");
        }
        finally
        {
            // Stopped, keeping the data folder (the restarted service below deletes it): the run must have been saved on the way down.
            await service.StopAsync();
        }

        await using var restarted = await ReconciliationHost.StartAsync(new ScriptedAccountReconciler(), Accounts("100"), dataFolder: folder);
        var run = await restarted.Store().GetRunAsync(runId);
        Assert.Equal(ReconciliationStatus.Failed, run!.Status);
        Assert.Contains("cancelled", Assert.Single(run.Accounts).Error, StringComparison.Ordinal);
        Assert.Null((await restarted.Store().ListAccountsAsync()).Single().HeldByRunId);
    }

    [Fact]
    public async Task RunAsync_Twice_BootstrapOnlyUntilTheFirstSuccess()
    {
        var reconciler = new ScriptedAccountReconciler();
        await using var service = await ReconciliationHost.StartAsync(reconciler, Accounts("100"));

        await service.Coordinator().RunAsync(null, "cli", CancellationToken.None);
        var second = await service.Coordinator().RunAsync(null, "cli", CancellationToken.None);

        Assert.Equal([true, false], reconciler.Calls.Select(c => c.Bootstrap));
        Assert.False(Assert.Single(second.Accounts).Bootstrap);
    }

    [Fact]
    public async Task StartAsync_LongAccount_ProgressIsSavedWhileItRuns()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconciler = new ScriptedAccountReconciler
        {
            Behaviour = async (waba, progress, ct) =>
            {
                progress!(new AccountReconciliation(waba, AccountRunStatus.Running, TemplatesSeen: 5, GraphCalls: 1));
                await release.Task.WaitAsync(ct);
                return ScriptedAccountReconciler.Succeeded(waba);
            },
        };
        await using var service = await ReconciliationHost.StartAsync(reconciler, Accounts("100"));

        var started = await service.Coordinator().StartAsync(null, "api", CancellationToken.None);

        // Saved by the run's heartbeat (every few seconds), not by the end of the account.
        var running = await Eventually.Until(() => service.Store().GetRunAsync(started.Id), r => r!.Accounts[0].TemplatesSeen == 5, Wait, "the account's progress to be saved");
        Assert.Equal(ReconciliationStatus.Running, running!.Status);
        Assert.Equal(AccountRunStatus.Running, running.Accounts[0].Status);
        release.SetResult();
        var ended = await Eventually.Until(() => service.Store().GetRunAsync(started.Id), r => r!.Status != ReconciliationStatus.Running, Wait, "the run to end");
        Assert.Equal(12, ended!.Accounts[0].TemplatesSeen);
    }

    [Fact]
    public async Task CheckOverdueAsync_OnePendingChangeOverdue_ReconcilesThatAccountOnly()
    {
        var reconciler = new ScriptedAccountReconciler();
        await using var service = await ReconciliationHost.StartAsync(reconciler, new() { ["Reconciliation:OverdueGrace"] = "01:00:00" });
        var now = TimeProvider.System.GetUtcNow();
        var notices = new[]
        {
            Samples.CategoryNotice(5501, now.AddDays(-3).ToUnixTimeSeconds(), "UTILITY", "MARKETING", now.AddHours(-2).ToUnixTimeSeconds(), wabaId: "555"),
            // Past its effective time, but within the grace period: not overdue yet.
            Samples.CategoryNotice(6601, now.AddDays(-3).ToUnixTimeSeconds(), "UTILITY", "MARKETING", now.AddMinutes(-10).ToUnixTimeSeconds(), wabaId: "666"),
            Samples.CategoryNotice(7701, now.AddDays(-3).ToUnixTimeSeconds(), "UTILITY", "MARKETING", now.AddDays(2).ToUnixTimeSeconds(), wabaId: "777"),
        };
        foreach (var notice in notices)
        {
            using var posted = await service.Client.PostWebhookAsync(notice);
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        await service.Client.WaitForIdleAsync();

        var run = await service.Coordinator().CheckOverdueAsync("overdue", CancellationToken.None);

        Assert.NotNull(run);
        Assert.Equal("overdue", run.Trigger);
        Assert.Equal(["555"], run.Accounts.Select(a => a.WabaId));
        Assert.Equal([("555", true)], reconciler.Calls.Select(c => (c.WabaId, c.Overdue)));
        Assert.Equal(ReconciliationStatus.Succeeded, (await service.Store().GetRunAsync(run.Id))?.Status);
    }

    [Fact]
    public async Task CheckOverdueAsync_NothingOverdue_StoresNoRun()
    {
        var reconciler = new ScriptedAccountReconciler();
        await using var service = await ReconciliationHost.StartAsync(reconciler, Accounts("100"));

        var run = await service.Coordinator().CheckOverdueAsync("overdue", CancellationToken.None);

        Assert.Null(run);
        Assert.Empty(reconciler.Calls);
        Assert.Empty(await service.Store().ListRunsAsync(10));
    }
}
