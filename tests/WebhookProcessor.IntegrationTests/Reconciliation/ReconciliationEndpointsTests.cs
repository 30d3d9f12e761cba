using System.Net;
using System.Text;
using System.Text.Json;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.IntegrationTests.Reconciliation;

/// <summary>The ops routes of reconciliation on the app on loopback, with the per-account reconciler scripted.</summary>
public sealed class ReconciliationEndpointsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, string?> TwoAccounts = new() { ["Meta:Accounts:0"] = "100", ["Meta:Accounts:1"] = "200" };

    private static async Task<HttpResponseMessage> PostAsync(InProcessService service, string? json, string? key = TestSecrets.OpsKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/reconciliations");
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await service.Client.Http.SendAsync(request);
    }

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [Fact]
    public async Task Post_WithoutBody_Answers202AndTheRunFinishesShowingEachAccount()
    {
        var reconciler = new ScriptedAccountReconciler
        {
            Behaviour = (waba, _, _) => Task.FromResult(waba == "200" ? ScriptedAccountReconciler.Failed(waba, "code 190: Meta:GraphApi:AccessToken") : ScriptedAccountReconciler.Succeeded(waba)),
        };
        await using var service = await ReconciliationHost.StartAsync(reconciler, TwoAccounts);

        using var response = await PostAsync(service, null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await JsonOf(response);
        var id = body.GetProperty("id").GetString()!;
        Assert.True(ReconciliationRunIds.IsWellFormed(id), id);
        Assert.Equal("running", body.GetProperty("status").GetString());
        Assert.Equal("/api/reconciliations/" + id, response.Headers.Location?.OriginalString);
        var run = await Eventually.Until(() => service.Client.GetOpsAsync(response.Headers.Location!.OriginalString),
            r => r.GetProperty("status").GetString() != "running", Wait, "the run to end");
        Assert.Equal("partial", run.GetProperty("status").GetString());
        Assert.Equal("api", run.GetProperty("trigger").GetString());
        Assert.NotEqual(JsonValueKind.Null, run.GetProperty("endedAt").ValueKind);
        var accounts = run.GetProperty("accounts").EnumerateArray().ToList();
        Assert.Equal(["100", "200"], accounts.Select(a => a.GetProperty("wabaId").GetString()));
        var first = accounts[0];
        Assert.Equal("succeeded", first.GetProperty("status").GetString());
        Assert.Equal((12, 3, 2, 1, 1, 0, 2), (first.GetProperty("templatesSeen").GetInt32(), first.GetProperty("added").GetInt32(), first.GetProperty("changed").GetInt32(),
            first.GetProperty("pendingChangesFound").GetInt32(), first.GetProperty("deleted").GetInt32(), first.GetProperty("overduePendingChanges").GetInt32(), first.GetProperty("graphCalls").GetInt32()));
        Assert.True(first.GetProperty("bootstrap").GetBoolean());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("error").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, first.GetProperty("startedAt").ValueKind);
        Assert.Equal("failed", accounts[1].GetProperty("status").GetString());
        Assert.Contains("code 190", accounts[1].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_OneAccount_ReconcilesOnlyThatAccount()
    {
        var reconciler = new ScriptedAccountReconciler();
        await using var service = await ReconciliationHost.StartAsync(reconciler, TwoAccounts);

        using var response = await PostAsync(service, """{"wabaId":"200"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = await Eventually.Until(() => service.Client.GetOpsAsync(response.Headers.Location!.OriginalString),
            r => r.GetProperty("status").GetString() != "running", Wait, "the run to end");
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(["200"], run.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("wabaId").GetString()));
        Assert.Equal(["200"], reconciler.Calls.Select(c => c.WabaId));
    }

    [Theory]
    [InlineData("""{"wabaId":"12ab"}""")]
    [InlineData("""{"wabaId":"12345678901234567890"}""")]
    [InlineData("""{"wabaId":""}""")]
    [InlineData("""{"wabaId":"../me"}""")]
    [InlineData("not json")]
    public async Task Post_InvalidBody_Answers400WithoutStartingARun(string json)
    {
        var reconciler = new ScriptedAccountReconciler();
        await using var service = await ReconciliationHost.StartAsync(reconciler, TwoAccounts);

        using var response = await PostAsync(service, json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await JsonOf(response)).GetProperty("errors").TryGetProperty("wabaId", out _));
        Assert.Empty(await service.Store().ListRunsAsync(10));
    }

    [Fact]
    public async Task Post_AccountHeldByARunningRun_Answers409NamingThatRun()
    {
        var reconciler = new ScriptedAccountReconciler();
        await using var service = await ReconciliationHost.StartAsync(reconciler, TwoAccounts);
        var holder = await service.Store().HoldAsync("100");

        using var response = await PostAsync(service, """{"wabaId":"100"}""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await JsonOf(response);
        Assert.Equal(holder, problem.GetProperty("runId").GetString());
        Assert.Contains(holder, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(reconciler.Calls);
    }

    [Fact]
    public async Task Post_WithoutGraphApiToken_Answers409NamingTheSetting()
    {
        var reconciler = new ScriptedAccountReconciler();
        await using var service = await ReconciliationHost.StartAsync(reconciler, TwoAccounts, token: false);

        using var response = await PostAsync(service, null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Meta:GraphApi:AccessToken", (await JsonOf(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await service.Store().ListRunsAsync(10));
    }

    [Theory]
    [InlineData("POST", "/api/reconciliations")]
    [InlineData("GET", "/api/reconciliations")]
    [InlineData("GET", "/api/reconciliations/20250630T013909123Z-0a1b2c3d")]
    public async Task Routes_WithoutApiKey_Answer401AndStartNothing(string method, string path)
    {
        var reconciler = new ScriptedAccountReconciler();
        await using var service = await ReconciliationHost.StartAsync(reconciler, TwoAccounts);

        using var response = await service.Client.SendOpsAsync(new HttpMethod(method), path, key: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await service.Store().ListRunsAsync(10));
    }

    [Fact]
    public async Task List_SeveralRuns_NewestFirstUpToTheLimit()
    {
        var reconciler = new ScriptedAccountReconciler();
        await using var service = await ReconciliationHost.StartAsync(reconciler, TwoAccounts);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await service.Coordinator().RunAsync(null, "cli", CancellationToken.None)).Id);
        }

        var all = await service.Client.GetOpsAsync("/api/reconciliations");
        var two = await service.Client.GetOpsAsync("/api/reconciliations?limit=2");

        Assert.Equal(Enumerable.Reverse(ids), all.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(Enumerable.Reverse(ids).Take(2), two.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.All(all.EnumerateArray(), r => Assert.Equal("succeeded", r.GetProperty("status").GetString()));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("ten")]
    public async Task List_BadLimit_Answers400(string limit)
    {
        var reconciler = new ScriptedAccountReconciler();
        await using var service = await ReconciliationHost.StartAsync(reconciler);

        using var response = await service.Client.SendOpsAsync("/api/reconciliations?limit=" + limit);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await JsonOf(response)).GetProperty("errors").TryGetProperty("limit", out _));
    }

    [Fact]
    public async Task Get_UnknownWellFormedId_Answers404()
    {
        var reconciler = new ScriptedAccountReconciler();
        await using var service = await ReconciliationHost.StartAsync(reconciler);

        using var response = await service.Client.SendOpsAsync("/api/reconciliations/" + ReconciliationRunIds.New(TimeProvider.System.GetUtcNow()));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("not-a-run-id")]
    [InlineData("20250630T013909123Z-0A1B2C3D")]
    [InlineData("20250630T013909123Z-0a1b2c3")]
    public async Task Get_MalformedId_Answers400(string id)
    {
        var reconciler = new ScriptedAccountReconciler();
        await using var service = await ReconciliationHost.StartAsync(reconciler);

        using var response = await service.Client.SendOpsAsync("/api/reconciliations/" + id);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await JsonOf(response)).GetProperty("errors").TryGetProperty("id", out _));
    }

    [Fact]
    public async Task Healthz_AfterARunAndWithAnOverdueChange_ShowsLastSuccessesAndTheOverdueCount()
    {
        var reconciler = new ScriptedAccountReconciler
        {
            Behaviour = (waba, _, _) => Task.FromResult(waba == "200" ? ScriptedAccountReconciler.Failed(waba, "refused") : ScriptedAccountReconciler.Succeeded(waba)),
        };
        await using var service = await ReconciliationHost.StartAsync(reconciler, new(TwoAccounts) { ["Reconciliation:OverdueGrace"] = "01:00:00" });
        var now = TimeProvider.System.GetUtcNow();
        foreach (var (template, effective) in new[] { (8801L, now.AddHours(-3)), (8802L, now.AddHours(-4)), (8803L, now.AddMinutes(-5)), (8804L, now.AddDays(1)) })
        {
            using var posted = await service.Client.PostWebhookAsync(Samples.CategoryNotice(template, now.AddDays(-2).ToUnixTimeSeconds() + template, "UTILITY", "MARKETING", effective.ToUnixTimeSeconds()));
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        await service.Client.WaitForIdleAsync();
        var run = await service.Coordinator().RunAsync(null, "cli", CancellationToken.None);

        var health = await service.Client.HealthAsync();

        Assert.Equal("configured", health.GetProperty("reconciliation").GetString());
        Assert.Equal(2, health.GetProperty("overduePendingChanges").GetInt32());
        var accounts = health.GetProperty("reconciliationAccounts").EnumerateArray().ToDictionary(a => a.GetProperty("wabaId").GetString()!);
        Assert.Equal(["100", "109876543210987", "200"], accounts.Keys.Order(StringComparer.Ordinal));
        // The stores keep milliseconds.
        Assert.Equal(run.Accounts.Single(a => a.WabaId == "100").EndedAt!.Value.UtcDateTime, accounts["100"].GetProperty("lastSucceededAt").GetDateTime().ToUniversalTime(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(JsonValueKind.Null, accounts["200"].GetProperty("lastSucceededAt").ValueKind);
    }
}
