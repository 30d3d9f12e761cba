using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebhookProcessor.Catalog;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Reconciliation;
using WebhookProcessor.Storage;

namespace WebhookProcessor.IntegrationTests.Reconciliation;

/// <summary>
/// The embedded schedule on a fake clock: the real coordinator and SQLite catalog, the per-account
/// reconciler scripted. Time moves only once the loop is seen waiting (a timer armed), never by sleeping.
/// </summary>
public sealed class ReconciliationServiceTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Start = new(2025, 7, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _folder = new();
    private readonly WatchedFakeTimeProvider _clock = new(Start);
    private readonly ScriptedAccountReconciler _reconciler = new();
    private SqliteReconciliationStore _store = null!;
    private SqliteTemplateStore _catalog = null!;
    private ServiceProvider? _services;
    private ReconciliationService? _loop;

    public Task InitializeAsync()
    {
        _catalog = new SqliteTemplateStore(new SqliteDatabase(Path.Combine(_folder.Path, CatalogRegistration.SqliteFileName)), _clock, NullLogger<SqliteTemplateStore>.Instance);
        _store = new SqliteReconciliationStore(new SqliteDatabase(Path.Combine(_folder.Path, CatalogRegistration.SqliteFileName)));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_loop is not null)
        {
            await _loop.StopAsync(CancellationToken.None);
            _loop.Dispose();
        }

        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await _catalog.DisposeAsync();
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private async Task StartLoopAsync(ReconciliationOptions options, string[] accounts, bool token = true)
    {
        BuildServices(options, accounts, token);
        _loop = new ReconciliationService(_services!, Options.Create(options), Options.Create(new GraphApiOptions { AccessToken = token ? ReconciliationHost.Token : null }), _clock, NullLogger<ReconciliationService>.Instance);
        await _loop.StartAsync(CancellationToken.None);
    }

    private ReconciliationCoordinator BuildServices(ReconciliationOptions options, string[] accounts, bool token = true)
    {
        var graphApi = Options.Create(new GraphApiOptions { AccessToken = token ? ReconciliationHost.Token : null });
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(_clock)
            .AddSingleton<IHostApplicationLifetime>(new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance))
            .AddSingleton<IReconciliationStore>(_store)
            .AddSingleton<IAccountReconciler>(_reconciler)
            .AddSingleton<ITemplateStore>(_catalog)
            .AddSingleton(Options.Create(new MetaAccountsOptions { Accounts = accounts }))
            .AddSingleton(graphApi)
            .AddSingleton(Options.Create(options))
            .AddSingleton<ReconciliationCoordinator>();
        _services = services.BuildServiceProvider();
        return _services.GetRequiredService<ReconciliationCoordinator>();
    }

    private Task<int> CallsAsync(int count, string what) =>
        Eventually.Until(() => Task.FromResult(_reconciler.Calls.Count), n => n >= count, Wait, what);

    [Fact]
    public async Task Loop_AccountNeverReconciled_RunsSoonAfterStartThenEveryInterval()
    {
        var options = new ReconciliationOptions { Interval = TimeSpan.FromHours(6), OverdueCheckInterval = TimeSpan.FromHours(1) };
        await StartLoopAsync(options, ["100"]);

        await _clock.WaitForTimerAsync(d => d == ReconciliationService.StartupDelay, Wait);
        Assert.Empty(_reconciler.Calls);
        _clock.Advance(ReconciliationService.StartupDelay);
        await CallsAsync(1, "the bootstrap run");
        Assert.True(_reconciler.Calls.Single().Bootstrap);

        // Five overdue checks (nothing overdue) in the six hours, then the next full run.
        for (var hour = 0; hour < 5; hour++)
        {
            await _clock.WaitForTimerAsync(d => d == TimeSpan.FromHours(1), Wait, index: hour);
            Assert.Single(_reconciler.Calls);
            _clock.Advance(TimeSpan.FromHours(1));
        }

        await _clock.WaitForTimerAsync(d => d == TimeSpan.FromHours(1), Wait, index: 5);
        Assert.Single(_reconciler.Calls);
        _clock.Advance(TimeSpan.FromHours(1));
        await CallsAsync(2, "the second full run");
        Assert.False(_reconciler.Calls.Last().Bootstrap);
        var runs = await _store.ListRunsAsync(10);
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal(ReconciliationService.ScheduleTrigger, r.Trigger));
        Assert.Equal(Start + ReconciliationService.StartupDelay + options.Interval, runs[0].StartedAt);
    }

    [Fact]
    public async Task Loop_EveryAccountSucceededRecently_WaitsForTheOldestSuccessPlusInterval()
    {
        await _store.MarkSucceededAsync("100", Start.AddHours(-5));
        await _store.MarkSucceededAsync("200", Start.AddHours(-2));
        var options = new ReconciliationOptions { Interval = TimeSpan.FromHours(6), OverdueCheckInterval = TimeSpan.FromHours(10) };
        await StartLoopAsync(options, ["100"]);

        await _clock.WaitForTimerAsync(d => d == TimeSpan.FromHours(1), Wait);
        Assert.Empty(_reconciler.Calls);
        _clock.Advance(TimeSpan.FromHours(1));

        await CallsAsync(2, "the full run over both accounts");
        Assert.Equal([("100", false), ("200", false)], _reconciler.Calls.Select(c => (c.WabaId, c.Bootstrap)));
    }

    [Fact]
    public async Task Loop_OverdueChangeBetweenFullRuns_ChecksItAtTheOverdueInterval()
    {
        await _store.MarkSucceededAsync("555", Start.AddMinutes(-1));
        await PendingChangeAsync(5501, "555", effectiveAt: Start.AddMinutes(30));
        var options = new ReconciliationOptions { Interval = TimeSpan.FromHours(6), OverdueCheckInterval = TimeSpan.FromHours(1), OverdueGrace = TimeSpan.FromMinutes(15) };
        await StartLoopAsync(options, []);

        await _clock.WaitForTimerAsync(d => d == TimeSpan.FromHours(1), Wait);
        _clock.Advance(TimeSpan.FromHours(1));

        await CallsAsync(1, "the overdue check");
        Assert.Equal(("555", true), (_reconciler.Calls.Single().WabaId, _reconciler.Calls.Single().Overdue));
        var run = Assert.Single(await _store.ListRunsAsync(10));
        Assert.Equal(ReconciliationService.OverdueTrigger, run.Trigger);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task Loop_WithoutTokenOrDisabled_DoesNothing(bool token, bool enabled)
    {
        await StartLoopAsync(new ReconciliationOptions { Enabled = enabled }, ["100"], token);

        await _loop!.ExecuteTask!.WaitAsync(Wait);

        Assert.Empty(_clock.Armed);
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Empty(_reconciler.Calls);
        Assert.Empty(await _store.ListRunsAsync(10));
    }

    [Fact]
    public async Task Heartbeat_LongAccount_RenewsTheClaimThenStopsWhenAnotherRunTookIt()
    {
        var claim = TimeSpan.FromSeconds(30);
        var coordinator = BuildServices(new ReconciliationOptions { ClaimDuration = claim }, ["100"]);
        _reconciler.Behaviour = async (waba, _, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return ScriptedAccountReconciler.Succeeded(waba);
        };
        var progress = ReconciliationCoordinator.ProgressInterval;
        var started = await coordinator.StartAsync(null, "api", CancellationToken.None);
        await CallsAsync(1, "the account to be in progress");

        // A third of the claim (10 s) takes two progress ticks of 5 s; the renewal moves the claim's end.
        for (var tick = 0; tick < 2; tick++)
        {
            await _clock.WaitForTimerAsync(d => d == progress, Wait, index: tick);
            _clock.Advance(progress);
        }

        await Eventually.Until(() => _store.ListAccountsAsync(), a => a.Single().HeldUntil == Start + (2 * progress) + claim, Wait, "the renewed claim");

        // The claim is made to look expired and another run takes it (a stalled process, say): this run must stop.
        var later = Start + TimeSpan.FromMinutes(5);
        var other = ReconciliationRunIds.New(later);
        Assert.Null(await _store.TryClaimAccountAsync("100", other, later, claim));
        for (var tick = 2; tick < 4; tick++)
        {
            await _clock.WaitForTimerAsync(d => d == progress, Wait, index: tick);
            _clock.Advance(progress);
        }

        var run = await Eventually.Until(() => _store.GetRunAsync(started.Id), r => r!.Status != ReconciliationStatus.Running, Wait, "the run to end");
        Assert.Equal(ReconciliationStatus.Failed, run!.Status);
        Assert.Contains("claim on the account expired", Assert.Single(run.Accounts).Error, StringComparison.Ordinal);
        Assert.Equal(other, (await _store.ListAccountsAsync()).Single().HeldByRunId);
    }

    [Fact]
    public async Task Registration_EmbeddedOrFunctions_LoopOnlyOnTheEmbeddedHost()
    {
        var reconciler = new ScriptedAccountReconciler();
        await using var embedded = await ReconciliationHost.StartAsync(reconciler);
        await using var functions = await ReconciliationHost.StartAsync(reconciler, functions: true);

        Assert.Single(embedded.Services.GetServices<IHostedService>().OfType<ReconciliationService>());
        Assert.Empty(functions.Services.GetServices<IHostedService>().OfType<ReconciliationService>());
    }

    private async Task PendingChangeAsync(long templateId, string wabaId, DateTimeOffset effectiveAt)
    {
        var notice = new TemplateEvent
        {
            EventId = $"notice-{templateId}",
            WabaId = wabaId,
            Field = "template_category_update",
            Kind = EventKind.CategoryChangePending,
            TemplateId = templateId,
            TemplateName = "pago",
            Language = "es",
            Category = "UTILITY",
            NewCategory = "MARKETING",
            EffectiveAt = effectiveAt,
            OccurredAt = Start.AddDays(-1),
            ReceivedAt = Start.AddDays(-1),
            Raw = "{}",
        };
        await _catalog.ApplyAsync([notice], Start, (current, e) => EventDecision.Of(CatalogRules.Apply(current, e)));
        Assert.NotNull((await _catalog.GetTemplateAsync(templateId))?.PendingCategoryChange);
    }
}
