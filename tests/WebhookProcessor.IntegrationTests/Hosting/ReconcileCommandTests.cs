using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WebhookProcessor.Catalog;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.IntegrationTests.Reconciliation;
using WebhookProcessor.Reconciliation;
using WebhookProcessor.Storage;
using WebhookProcessor.Tools;

namespace WebhookProcessor.IntegrationTests.Hosting;

/// <summary>
/// <c>reconcile</c> builds the app's services against the configured store, with the per-account
/// reconciler scripted; the configuration checks are also run as a real process.
/// </summary>
public sealed partial class ReconcileCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ScriptedAccountReconciler _reconciler = new();

    private readonly SqliteReconciliationStore _store;

    public ReconcileCommandTests()
    {
        // The store the command uses: the same catalog file, opened beside it as a second process would.
        _store = new SqliteReconciliationStore(new SqliteDatabase(Path.Combine(_folder.Path, CatalogRegistration.SqliteFileName)));
    }

    public void Dispose()
    {
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string[] args, bool token = true)
    {
        var values = new Dictionary<string, string?>
        {
            ["Meta:AppSecrets:0"] = TestSecrets.AppSecret,
            ["Meta:VerifyToken"] = TestSecrets.VerifyToken,
            ["Ops:ApiKeys:0"] = TestSecrets.OpsKey,
            ["Storage:Sqlite:Path"] = _folder.Path,
            ["Meta:Accounts:0"] = "200",
            ["Meta:Accounts:1"] = "100",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (token)
        {
            values["Meta:GraphApi:AccessToken"] = ReconciliationHost.Token;
        }

        using var output = new StringWriter();
        var exitCode = await ReconcileCommand.RunAsync(args, output, builder =>
        {
            builder.Configuration.AddInMemoryCollection(values);
            builder.Host.UseServiceProviderFactory(new OverridingServiceProviderFactory(services => services.AddSingleton<IAccountReconciler>(_reconciler)));
        });
        return (exitCode, output.ToString());
    }

    [Fact]
    public async Task Reconcile_EveryAccountSucceeds_ExitsZeroWithALinePerAccountAndTheRunId()
    {
        var (exitCode, output) = await RunAsync([]);

        Assert.True(exitCode == 0, output);
        Assert.Matches(@"(?m)^100 succeeded \(bootstrap\): 12 seen, 3 added, 2 changed, 1 pending found, 1 deleted, 0 overdue, 2 Graph calls\r?$", output);
        Assert.Matches(@"(?m)^200 succeeded \(bootstrap\): 12 seen", output);
        var id = RunLine().Match(output);
        Assert.True(id.Success, output);
        var run = await _store.GetRunAsync(id.Groups["id"].Value);
        Assert.Equal((ReconcileCommand.Trigger, ReconciliationStatus.Succeeded, 2), (run?.Trigger, run?.Status, run?.Accounts.Count));
    }

    [Fact]
    public async Task Reconcile_OneAccountFails_ExitsOneShowingTheError()
    {
        _reconciler.Behaviour = (waba, _, _) => Task.FromResult(waba == "200"
            ? ScriptedAccountReconciler.Failed(waba, "Meta refused the token (code 190): fix Meta:GraphApi:AccessToken.")
            : ScriptedAccountReconciler.Succeeded(waba));

        var (exitCode, output) = await RunAsync([]);

        Assert.True(exitCode == 1, output);
        Assert.Matches(@"(?m)^200 failed \(bootstrap\): .* - Meta refused the token \(code 190\)", output);
        Assert.Contains(" partial over 2 account(s).", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_OneAccountOption_ReconcilesOnlyThatAccount()
    {
        var (exitCode, output) = await RunAsync(["--waba", "300"]);

        Assert.True(exitCode == 0, output);
        Assert.Equal(["300"], _reconciler.Calls.Select(c => c.WabaId));
    }

    [Fact]
    public async Task Reconcile_AccountHeldByARunningRun_ExitsOneNamingThatRun()
    {
        var holder = await _store.HoldAsync("300");

        var (exitCode, output) = await RunAsync(["--waba", "300"]);

        Assert.True(exitCode == 1, output);
        Assert.Contains(holder, output, StringComparison.Ordinal);
        Assert.Empty(_reconciler.Calls);
    }

    [Fact]
    public async Task Reconcile_WithoutGraphApiToken_ExitsTwoNamingTheSetting()
    {
        var (exitCode, output) = await RunAsync([], token: false);

        Assert.True(exitCode == 2, output);
        Assert.Contains("Meta:GraphApi:AccessToken", output, StringComparison.Ordinal);
        Assert.Empty(_reconciler.Calls);
        Assert.Empty(await _store.ListRunsAsync(10));
    }

    [Theory]
    [InlineData("--waba", "12ab")]
    [InlineData("--waba")]
    [InlineData("--bogus")]
    [InlineData("--waba", "100", "--waba", "200")]
    public async Task Reconcile_BadArguments_ExitsTwoWithoutRunning(params string[] args)
    {
        var (exitCode, output) = await RunAsync(args);

        Assert.True(exitCode == 2, output);
        Assert.Contains("--waba", output, StringComparison.Ordinal);
        Assert.Empty(_reconciler.Calls);
    }

    [Fact]
    public async Task ReconcileProcess_WithoutGraphApiToken_ExitsTwoNamingTheSettingAndLeavesTheWebPortAlone()
    {
        // The configured web port is taken: a command that started the web server would fail to bind it instead.
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((IPEndPoint)occupied.LocalEndpoint).Port;
        using var process = ServiceProcess.StartRaw(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Meta__AppSecrets__0"] = TestSecrets.AppSecret,
            ["Meta__VerifyToken"] = TestSecrets.VerifyToken,
            ["Ops__ApiKeys__0"] = TestSecrets.OpsKey,
            ["Storage__Sqlite__Path"] = _folder.Path,
        }, ReconcileCommand.Name);

        var (stdout, stderr) = await ProcessExit.WaitAsync(process, TimeSpan.FromSeconds(60), "reconcile did not exit");

        Assert.True(process.ExitCode == 2, stdout + stderr);
        Assert.Contains("Meta:GraphApi:AccessToken is not set", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReconcileProcess_NoAccountsYet_SucceedsWithoutTakingTheWebPort()
    {
        // The configured web port is taken: a command that started the web server would fail to bind it.
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        using var process = ServiceProcess.StartRaw(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{((IPEndPoint)occupied.LocalEndpoint).Port}",
            ["Meta__AppSecrets__0"] = TestSecrets.AppSecret,
            ["Meta__VerifyToken"] = TestSecrets.VerifyToken,
            ["Ops__ApiKeys__0"] = TestSecrets.OpsKey,
            ["Meta__GraphApi__AccessToken"] = ReconciliationHost.Token,
            ["Storage__Sqlite__Path"] = _folder.Path,
        }, ReconcileCommand.Name);

        var (stdout, stderr) = await ProcessExit.WaitAsync(process, TimeSpan.FromSeconds(60), "reconcile did not exit");

        Assert.True(process.ExitCode == 0, stdout + stderr);
        var id = Regex.Match(stdout, @"Run (?<id>\S+) succeeded over 0 account\(s\)\.");
        Assert.True(id.Success, stdout);
        Assert.Equal(ReconcileCommand.Trigger, (await _store.GetRunAsync(id.Groups["id"].Value))?.Trigger);
        Assert.DoesNotContain(ReconciliationHost.Token, stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReconcileProcess_BadAccountId_ExitsTwo()
    {
        using var process = ServiceProcess.StartRaw(new Dictionary<string, string?>(), ReconcileCommand.Name, "--waba", "not-an-id");

        var (stdout, stderr) = await ProcessExit.WaitAsync(process, TimeSpan.FromSeconds(60), "reconcile did not exit");

        Assert.True(process.ExitCode == 2, stdout + stderr);
        Assert.Contains("--waba must be a WhatsApp Business Account id", stdout, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(?m)^Run (?<id>\S+) succeeded over 2 account\(s\)\.\r?$")]
    private static partial Regex RunLine();
}
