using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.IntegrationTests.Contracts;

/// <summary>What every <see cref="IReconciliationStore"/> does, through the interface only; one subclass per implementation.</summary>
public abstract class ReconciliationStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, 123, TimeSpan.Zero);
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(10);
    private static readonly AccountReconciliation[] NoAccounts = [];

    private IReconciliationStore _store = null!;

    /// <summary>A new store instance on the same database (or table) as every other one this test opened, as a second process would have.</summary>
    protected abstract IReconciliationStore Open();

    /// <summary>Disposes what <see cref="Open"/> made and deletes the database (or tables).</summary>
    protected abstract Task CleanUpAsync();

    public Task InitializeAsync()
    {
        _store = Open();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => CleanUpAsync();

    [Fact]
    public async Task SaveRun_EveryField_ReadsBackAsSaved()
    {
        var ended = new ReconciliationRun(ReconciliationRunIds.New(Start), ReconciliationStatus.Partial, "api", Start, Start.AddMinutes(3),
        [
            new AccountReconciliation("111", AccountRunStatus.Succeeded, Start.AddSeconds(1), Start.AddSeconds(90), 2000, 3, 4, 5, 6, 7, 8, Bootstrap: true),
            new AccountReconciliation("222", AccountRunStatus.Failed, Start.AddSeconds(2), Start.AddSeconds(3), GraphCalls: 1, Error: "The token was refused; set \"Meta:GraphApi:AccessToken\" — ünïcode ✓"),
            new AccountReconciliation("333", AccountRunStatus.Skipped, Error: "Held by another run."),
            new AccountReconciliation("444", AccountRunStatus.Running, Start.AddSeconds(4)),
        ]);
        var running = new ReconciliationRun(ReconciliationRunIds.New(Start.AddHours(1)), ReconciliationStatus.Running, "schedule", Start.AddHours(1), null, []);

        await _store.SaveRunAsync(ended);
        await _store.SaveRunAsync(running);

        AssertSame(ended, await _store.GetRunAsync(ended.Id));
        var read = await Open().GetRunAsync(running.Id);
        AssertSame(running, read);
        Assert.Null(read!.EndedAt);
    }

    [Fact]
    public async Task SaveRun_ManyAccounts_ReadsBackWhole()
    {
        // Far more than the 64 KiB one Table property holds.
        var accounts = Enumerable.Range(0, 400)
            .Select(i => new AccountReconciliation($"waba-{i:D5}", (AccountRunStatus)(i % 4), Start.AddMilliseconds(i), Start.AddSeconds(i), i, i + 1, i + 2, i + 3, i + 4, i + 5, i + 6, i % 2 == 0, $"error {i} " + new string('x', 200)))
            .ToList();
        var run = new ReconciliationRun(ReconciliationRunIds.New(Start), ReconciliationStatus.Failed, "cli", Start, Start.AddHours(1), accounts);

        await _store.SaveRunAsync(run);

        AssertSame(run, await _store.GetRunAsync(run.Id));
        AssertSame(run, Assert.Single(await _store.ListRunsAsync(5)));
    }

    [Fact]
    public async Task SaveRun_SameIdAgain_ReplacesTheRun()
    {
        var id = ReconciliationRunIds.New(Start);
        var large = new ReconciliationRun(id, ReconciliationStatus.Running, "api", Start, null,
            Enumerable.Range(0, 300).Select(i => new AccountReconciliation($"w{i}", AccountRunStatus.Running, Error: new string('e', 200))).ToList());
        var final = new ReconciliationRun(id, ReconciliationStatus.Succeeded, "api", Start, Start.AddMinutes(1),
            [new AccountReconciliation("w0", AccountRunStatus.Succeeded, Start, Start.AddMinutes(1), TemplatesSeen: 9)]);

        await _store.SaveRunAsync(large);
        await _store.SaveRunAsync(final);

        AssertSame(final, await _store.GetRunAsync(id));
        AssertSame(final, Assert.Single(await _store.ListRunsAsync(10)));
    }

    [Fact]
    public async Task ListRuns_SeveralRuns_NewestFirstThenByIdAndLimited()
    {
        var sameMillisecond = Start.AddSeconds(30);
        var runs = new[] { Start, Start.AddSeconds(10), sameMillisecond, sameMillisecond, sameMillisecond, Start.AddSeconds(20) }
            .Select(t => new ReconciliationRun(ReconciliationRunIds.New(t), ReconciliationStatus.Succeeded, "schedule", t, t.AddSeconds(5), []))
            .ToList();
        foreach (var run in runs)
        {
            await _store.SaveRunAsync(run);
        }

        var expected = runs.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal).Select(r => r.Id).ToList();

        Assert.Equal(expected, (await _store.ListRunsAsync(100)).Select(r => r.Id));
        Assert.Equal(expected.Take(2), (await _store.ListRunsAsync(2)).Select(r => r.Id));
        Assert.Empty(await _store.ListRunsAsync(0));
    }

    [Fact]
    public async Task GetRun_UnknownOrMalformedId_ReturnsNull()
    {
        await _store.SaveRunAsync(new ReconciliationRun(ReconciliationRunIds.New(Start), ReconciliationStatus.Running, "api", Start, null, []));

        Assert.Null(await _store.GetRunAsync(ReconciliationRunIds.New(Start)));
        Assert.Null(await _store.GetRunAsync("not-a-run"));
    }

    [Fact]
    public async Task TryClaimAccount_Free_ClaimsItUntilNowPlusHold()
    {
        var result = await _store.TryClaimAccountAsync("w1", "run-a", Start, Hold);

        Assert.Null(result);
        Assert.Equal(new ReconciledAccount("w1", null, null, "run-a", Start + Hold), Assert.Single(await _store.ListAccountsAsync()));
    }

    [Fact]
    public async Task TryClaimAccount_HeldByAnotherLiveRun_ReturnsTheHolderAndChangesNothing()
    {
        await _store.TryClaimAccountAsync("w1", "run-a", Start, Hold);

        var result = await _store.TryClaimAccountAsync("w1", "run-b", Start + Hold - TimeSpan.FromMilliseconds(1), Hold);

        Assert.Equal("run-a", result);
        Assert.Equal(new ReconciledAccount("w1", null, null, "run-a", Start + Hold), Assert.Single(await _store.ListAccountsAsync()));
    }

    [Fact]
    public async Task TryClaimAccount_SameRunAgain_RenewsTheClaim()
    {
        await _store.TryClaimAccountAsync("w1", "run-a", Start, Hold);

        var result = await _store.TryClaimAccountAsync("w1", "run-a", Start.AddMinutes(5), Hold);

        Assert.Null(result);
        Assert.Equal(Start.AddMinutes(5) + Hold, Assert.Single(await _store.ListAccountsAsync()).HeldUntil);
        Assert.Equal("run-a", await _store.TryClaimAccountAsync("w1", "run-b", Start.AddMinutes(12), Hold));
    }

    [Fact]
    public async Task TryClaimAccount_HolderExpired_IsTakenOver()
    {
        await _store.TryClaimAccountAsync("w1", "crashed", Start, Hold);

        var result = await _store.TryClaimAccountAsync("w1", "run-b", Start + Hold, Hold);

        Assert.Null(result);
        Assert.Equal(new ReconciledAccount("w1", null, null, "run-b", Start + Hold + Hold), Assert.Single(await _store.ListAccountsAsync()));
        Assert.Equal("run-b", await _store.TryClaimAccountAsync("w1", "crashed", Start + Hold, Hold));
    }

    [Fact]
    public async Task ReleaseAccount_ByNonHolder_DoesNothing()
    {
        await _store.TryClaimAccountAsync("w1", "run-a", Start, Hold);

        await _store.ReleaseAccountAsync("w1", "run-b", Start.AddMinutes(1));
        await _store.ReleaseAccountAsync("never-claimed", "run-b", Start.AddMinutes(1));

        Assert.Equal(new ReconciledAccount("w1", null, null, "run-a", Start + Hold), Assert.Single(await _store.ListAccountsAsync()));
    }

    [Fact]
    public async Task ReleaseAccount_WithSuccess_RecordsItAndFreesTheAccount()
    {
        await _store.TryClaimAccountAsync("w1", "run-a", Start, Hold);

        await _store.ReleaseAccountAsync("w1", "run-a", Start.AddMinutes(2));

        Assert.Equal(new ReconciledAccount("w1", Start.AddMinutes(2), "run-a", null, null), Assert.Single(await _store.ListAccountsAsync()));
        Assert.Null(await _store.TryClaimAccountAsync("w1", "run-b", Start.AddMinutes(3), Hold));
    }

    [Fact]
    public async Task ReleaseAccount_WithoutSuccess_KeepsTheLastSuccessAndFrees()
    {
        await _store.TryClaimAccountAsync("w1", "run-a", Start, Hold);
        await _store.ReleaseAccountAsync("w1", "run-a", Start.AddMinutes(2));
        await _store.TryClaimAccountAsync("w1", "run-b", Start.AddHours(6), Hold);

        await _store.ReleaseAccountAsync("w1", "run-b", succeededAt: null);

        Assert.Equal(new ReconciledAccount("w1", Start.AddMinutes(2), "run-a", null, null), Assert.Single(await _store.ListAccountsAsync()));
        Assert.Null(await _store.TryClaimAccountAsync("w1", "run-c", Start.AddHours(6), Hold));
    }

    [Fact]
    public async Task ListAccounts_SeveralClaimed_EveryOneInOrdinalOrder()
    {
        Assert.Empty(await _store.ListAccountsAsync());
        foreach (var waba in new[] { "b", "a/1", "B", "a~2", "10", "9" })
        {
            Assert.Null(await _store.TryClaimAccountAsync(waba, "run-a", Start, Hold));
        }

        await _store.ReleaseAccountAsync("B", "run-a", Start.AddMinutes(1));

        var accounts = await Open().ListAccountsAsync();

        Assert.Equal(["10", "9", "B", "a/1", "a~2", "b"], accounts.Select(a => a.WabaId));
        Assert.Equal(new ReconciledAccount("B", Start.AddMinutes(1), "run-a", null, null), accounts[2]);
        Assert.All(accounts.Where(a => a.WabaId != "B"), a => Assert.Equal(("run-a", Start + Hold), (a.HeldByRunId, a.HeldUntil)));
    }

    [Fact]
    public async Task TryClaimAccount_TwoInstancesAtOnce_ExactlyOneWins()
    {
        var first = Open();
        var second = Open();
        for (var round = 0; round < 8; round++)
        {
            // Even rounds race for a new account (both insert); odd ones for an expired claim (both replace).
            var waba = $"race-{round}";
            var now = Start;
            if (round % 2 == 1)
            {
                Assert.Null(await _store.TryClaimAccountAsync(waba, "crashed", Start, Hold));
                now = Start + Hold + Hold;
            }

            var results = await Task.WhenAll(
                Task.Run(() => first.TryClaimAccountAsync(waba, "run-1", now, Hold)),
                Task.Run(() => second.TryClaimAccountAsync(waba, "run-2", now, Hold)));

            var winner = results[0] is null ? "run-1" : "run-2";
            Assert.Single(results, r => r is null);
            Assert.Single(results, r => r == winner);
            Assert.Equal(winner, (await _store.ListAccountsAsync()).Single(a => a.WabaId == waba).HeldByRunId);
        }
    }

    private static void AssertSame(ReconciliationRun expected, ReconciliationRun? actual)
    {
        Assert.NotNull(actual);
        // The account list compares by reference in the record's own equality: compare it on its own.
        Assert.Equal(expected with { Accounts = NoAccounts }, actual with { Accounts = NoAccounts });
        Assert.Equal(expected.Accounts, actual.Accounts);
    }
}
