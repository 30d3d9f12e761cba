using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.IntegrationTests.Reconciliation;

/// <summary>The Graph API client as registered in the service, against a fake Graph API on loopback.</summary>
public sealed class GraphApiClientTests : IAsyncLifetime
{
    private const string Token = "EAAGtest-secret-token-0123456789";
    private const string Waba = "102290129340398";

    private readonly FakeGraphApi _api = new();
    private readonly CapturedLogs _logs = new();
    private readonly List<ServiceProvider> _providers = [];

    public Task InitializeAsync() => _api.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await _api.DisposeAsync();
    }

    [Fact]
    public async Task ListTemplatesAsync_ShortAndEmptyPagesBeforeTheEnd_FollowsNextUntilThereIsNone()
    {
        _api.ServePages(Waba, Page(1, 3), Page(4, 1), [], Page(5, 3), Page(8, 2));

        var templates = await ListAsync(Client());

        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), templates.Select(t => t.Id));
        Assert.Equal(5, _api.Received.Count);
    }

    [Fact]
    public async Task ListTemplatesAsync_EveryRequest_CarriesTheTokenAsBearerHeaderOnly()
    {
        _api.ServePages(Waba, Page(1, 3), Page(4, 1));

        await ListAsync(Client());

        Assert.All(_api.Received, r =>
        {
            Assert.Equal($"Bearer {Token}", r.Headers["Authorization"]);
            Assert.DoesNotContain("access_token", r.Query, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Token, r.Query, StringComparison.Ordinal);
        });
        var first = _api.Received[0];
        Assert.Equal($"/{FakeGraphApi.Version}/{Waba}/message_templates", first.Path);
        Assert.Contains("fields=id,name,language,status,category,previous_category,correct_category,quality_score,rejected_reason,sub_category", Uri.UnescapeDataString(first.Query), StringComparison.Ordinal);
        Assert.Contains("limit=3", first.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListTemplatesAsync_TemplateFields_AreReadAsMetaSendsThem()
    {
        var pending = FakeGraphApi.Template(1234567890123, "order_update", category: "MARKETING", correctCategory: "UTILITY", quality: "YELLOW");
        pending["previous_category"] = "ACCOUNT_UPDATE";
        var settled = FakeGraphApi.Template(7, correctCategory: "");
        settled.Remove("quality_score");
        var odd = FakeGraphApi.Template(8, correctCategory: null);
        odd["quality_score"] = "RED";
        _api.ServePages(Waba, [pending, settled, odd]);

        var templates = await ListAsync(Client());

        var first = templates[0];
        Assert.Equal(1234567890123, first.Id);
        Assert.Equal("order_update", first.Name);
        Assert.Equal("en_US", first.Language);
        Assert.Equal("APPROVED", first.Status);
        Assert.Equal("MARKETING", first.Category);
        Assert.Equal("ACCOUNT_UPDATE", first.PreviousCategory);
        Assert.Equal("UTILITY", first.CorrectCategory);
        Assert.Equal(new GraphQualityScore("YELLOW", DateTimeOffset.FromUnixTimeSeconds(1_764_000_000)), first.QualityScore);
        Assert.Equal("NONE", first.RejectedReason);
        Assert.Equal("CUSTOM", first.SubCategory);
        Assert.Equal("", templates[1].CorrectCategory);
        Assert.Null(templates[1].QualityScore);
        Assert.Null(templates[2].CorrectCategory);
        Assert.Equal(new GraphQualityScore("RED", null), templates[2].QualityScore);
    }

    [Fact]
    public async Task ListTemplatesAsync_IdThatIsNotANumber_FailsNamingIt()
    {
        var template = FakeGraphApi.Template(1);
        template["id"] = "12ab";
        _api.ServePages(Waba, [template]);

        var error = await Assert.ThrowsAsync<GraphApiException>(() => ListAsync(Client()));

        Assert.Equal(GraphApiErrorKind.Other, error.Kind);
        Assert.Contains("'12ab'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListTemplatesAsync_NextLinkToAnotherHost_RefusesWithoutCallingIt()
    {
        await using var elsewhere = await FakeGraphApi.StartAsync();
        _api.ServePages(Waba, Page(1, 3), Page(4, 3))
            .RewriteNextLinks(next => next.Replace(_api.BaseAddress.ToString(), elsewhere.BaseAddress.ToString(), StringComparison.Ordinal));
        var read = new List<GraphTemplate>();

        var error = await Assert.ThrowsAsync<GraphApiException>(async () =>
        {
            await foreach (var template in Client().ListTemplatesAsync(Waba))
            {
                read.Add(template);
            }
        });

        Assert.Equal(GraphApiErrorKind.Other, error.Kind);
        Assert.Contains("Refused to follow", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, read.Count);
        Assert.Empty(elsewhere.Received);
        Assert.Single(_api.Received);
    }

    [Fact]
    public async Task ListTemplatesAsync_NextLinkToAnotherAccount_Refuses()
    {
        _api.ServePages(Waba, Page(1, 3), Page(4, 3))
            .RewriteNextLinks(next => next.Replace(Waba, "999", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<GraphApiException>(() => ListAsync(Client()));

        Assert.Contains("Refused to follow", error.Message, StringComparison.Ordinal);
        Assert.Single(_api.Received);
    }

    [Fact]
    public async Task ListTemplatesAsync_Redirect_IsNotFollowed()
    {
        await using var elsewhere = await FakeGraphApi.StartAsync();
        elsewhere.ServePages(Waba, Page(1, 3));
        _api.ServePages(Waba, Page(1, 3))
            .Fail(HttpStatusCode.Found, location: $"{elsewhere.BaseAddress}{FakeGraphApi.Version}/{Waba}/message_templates");

        var error = await Assert.ThrowsAsync<GraphApiException>(() => ListAsync(Client()));

        Assert.Equal(GraphApiErrorKind.Other, error.Kind);
        Assert.Equal(302, error.HttpStatus);
        Assert.Empty(elsewhere.Received);
    }

    [Fact]
    public void AddGraphApi_AccountsSetting_IsBound()
    {
        var accounts = Provider(("Meta:Accounts:0", "111"), ("Meta:Accounts:1", "222"))
            .GetRequiredService<Microsoft.Extensions.Options.IOptions<MetaAccountsOptions>>().Value.Accounts;

        Assert.Equal(["111", "222"], accounts);
    }

    [Fact]
    public async Task ListTemplatesAsync_ExpiredToken_FailsAtOnceNamingTheSettingNotTheToken()
    {
        _api.ServePages(Waba, Page(1, 3)).Fail(HttpStatusCode.BadRequest, code: 190, echoToken: true);

        var error = await Assert.ThrowsAsync<GraphApiException>(() => ListAsync(Client()));

        Assert.Equal(GraphApiErrorKind.Authentication, error.Kind);
        Assert.Equal(190, error.Code);
        Assert.Equal("FakeTrace123", error.FbTraceId);
        Assert.Contains("Meta:GraphApi:AccessToken", error.Message, StringComparison.Ordinal);
        Assert.Contains("whatsapp_business_management", error.Message, StringComparison.Ordinal);
        Assert.Contains("fbtrace_id FakeTrace123", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error.ToString(), StringComparison.Ordinal);
        Assert.Single(_api.Received);
    }

    [Fact]
    public async Task ListTemplatesAsync_Unauthorized_IsNotRetried()
    {
        _api.ServePages(Waba, Page(1, 3)).Fail(HttpStatusCode.Unauthorized, times: 5);

        var error = await Assert.ThrowsAsync<GraphApiException>(() => ListAsync(Client()));

        Assert.Equal(GraphApiErrorKind.Authentication, error.Kind);
        Assert.Single(_api.Received);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(17)]
    [InlineData(80007)]
    public async Task ListTemplatesAsync_ThrottlingCodeWithStatus400_SurfacesAtOnceAndHoldsTheAccount(int code)
    {
        _api.ServePages(Waba, Page(1, 3)).Fail(HttpStatusCode.BadRequest, code: code, regainMinutes: 2);
        var provider = Provider();

        var error = await Assert.ThrowsAsync<GraphApiException>(() => ListAsync(provider.GetRequiredService<GraphApiClient>()));

        Assert.Equal(GraphApiErrorKind.Throttled, error.Kind);
        Assert.Equal(TimeSpan.FromMinutes(2), error.SuggestedWait);
        Assert.Single(_api.Received);
        using var cancel = new CancellationTokenSource();
        var nextCall = provider.GetRequiredService<GraphCallBudget>().AcquireAsync(Waba, cancel.Token).AsTask();
        Assert.False(nextCall.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => nextCall);
    }

    [Fact]
    public async Task ListTemplatesAsync_TooManyRequestsWithRetryAfter_WaitsAndRetries()
    {
        _api.ServePages(Waba, Page(1, 3)).Fail(HttpStatusCode.TooManyRequests, retryAfter: TimeSpan.FromSeconds(1));

        var templates = await ListAsync(Client());

        Assert.Equal(3, templates.Count);
        var received = _api.Received;
        Assert.Equal(2, received.Count);
        Assert.True(received[1].ReceivedAt - received[0].ReceivedAt >= TimeSpan.FromMilliseconds(900), "the retry came before Retry-After allowed");
    }

    [Fact]
    public async Task ListTemplatesAsync_TooManyRequestsAskingForLong_SurfacesAtOnceWithThatWait()
    {
        _api.ServePages(Waba, Page(1, 3)).Fail(HttpStatusCode.TooManyRequests, retryAfter: TimeSpan.FromMinutes(2));

        var error = await Assert.ThrowsAsync<GraphApiException>(() => ListAsync(Client()));

        Assert.Equal(GraphApiErrorKind.Throttled, error.Kind);
        Assert.Equal(TimeSpan.FromMinutes(2), error.SuggestedWait);
        Assert.Single(_api.Received);
    }

    [Fact]
    public async Task ListTemplatesAsync_NextLinkBackToAPageAlreadyRead_Refuses()
    {
        _api.ServePages(Waba, Page(1, 3), Page(4, 3))
            .RewriteNextLinks(next => next.Replace("after=1", "after=0", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<GraphApiException>(() => ListAsync(Client()));

        Assert.Equal(GraphApiErrorKind.Other, error.Kind);
        Assert.Contains("already read", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, _api.Received.Count);
    }

    [Fact]
    public async Task ListTemplatesAsync_TooManyRequestsEveryTime_SurfacesThrottledAfterTheRetries()
    {
        _api.ServePages(Waba, Page(1, 3)).Fail(HttpStatusCode.TooManyRequests, times: 10);

        var error = await Assert.ThrowsAsync<GraphApiException>(() => ListAsync(Client(("Meta:GraphApi:MaxRetryAttempts", "2"))));

        Assert.Equal(GraphApiErrorKind.Throttled, error.Kind);
        Assert.Equal(3, _api.Received.Count);
    }

    [Fact]
    public async Task ListTemplatesAsync_ServerErrorThenSuccess_RetriesAndReadsEverything()
    {
        _api.ServePages(Waba, Page(1, 3), Page(4, 2)).Fail(HttpStatusCode.InternalServerError, code: 2);

        var templates = await ListAsync(Client());

        Assert.Equal(5, templates.Count);
        Assert.Equal(3, _api.Received.Count);
    }

    [Fact]
    public async Task ListTemplatesAsync_ServerErrorThenSuccess_CountsTheRetryAgainstTheAccount()
    {
        _api.ServePages(Waba, Page(1, 3), Page(4, 2)).Fail(HttpStatusCode.InternalServerError, code: 2);
        using var provider = Provider();
        var budget = provider.GetRequiredService<GraphCallBudget>();

        await ListAsync(provider.GetRequiredService<GraphApiClient>());

        // Meta counts every request it receives, the retried one too.
        Assert.Equal(_api.Received.Count, budget.Total(Waba));
        Assert.Equal(3, budget.Used(Waba));
    }

    [Fact]
    public async Task ListTemplatesAsync_ServerErrorEveryTime_FailsTransientAfterTheRetries()
    {
        _api.ServePages(Waba, Page(1, 3)).Fail(HttpStatusCode.InternalServerError, code: 2, times: 10);

        var error = await Assert.ThrowsAsync<GraphApiException>(() => ListAsync(Client(("Meta:GraphApi:MaxRetryAttempts", "2"))));

        Assert.Equal(GraphApiErrorKind.Transient, error.Kind);
        Assert.Equal(500, error.HttpStatus);
        Assert.Equal(3, _api.Received.Count);
    }

    [Fact]
    public async Task ListTemplatesAsync_SlowPageOnce_TimesOutAndRetries()
    {
        _api.ServePages(Waba, Page(1, 3)).Delay(TimeSpan.FromSeconds(30));

        // A second is far longer than a loopback request takes even on a loaded machine, so the first
        // attempt reaches the fake (and is the one held) before it times out.
        var templates = await ListAsync(Client(("Meta:GraphApi:AttemptTimeout", "00:00:01")));

        Assert.Equal(3, templates.Count);
        Assert.Equal(2, _api.Received.Count);
    }

    [Fact]
    public async Task ListTemplatesAsync_SlowEveryTime_FailsTransientNamingTheTimeout()
    {
        _api.ServePages(Waba, Page(1, 3)).Delay(TimeSpan.FromSeconds(30), times: 5);

        var error = await Assert.ThrowsAsync<GraphApiException>(() => ListAsync(Client(
            ("Meta:GraphApi:AttemptTimeout", "00:00:01"), ("Meta:GraphApi:MaxRetryAttempts", "1"))));

        Assert.Equal(GraphApiErrorKind.Transient, error.Kind);
        Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
        // The client gives up on its side; the fake may record the retry a moment later.
        await Eventually.Until(() => Task.FromResult(_api.Received.Count), n => n >= 2, TimeSpan.FromSeconds(10), "the retry to reach the fake Graph API");
        Assert.Equal(2, _api.Received.Count);
    }

    [Fact]
    public async Task ListTemplatesAsync_NoToken_FailsNamingTheSettingWithoutCallingMeta()
    {
        _api.ServePages(Waba, Page(1, 3));

        var error = await Assert.ThrowsAsync<GraphApiException>(() => ListAsync(Client(("Meta:GraphApi:AccessToken", ""))));

        Assert.Equal(GraphApiErrorKind.Authentication, error.Kind);
        Assert.Contains("Meta:GraphApi:AccessToken", error.Message, StringComparison.Ordinal);
        Assert.Empty(_api.Received);
    }

    [Fact]
    public async Task ListTemplatesAsync_AccountIdNotDigits_IsRefusedBeforeAnyCall()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => ListAsync(Client(), "../me"));

        Assert.Empty(_api.Received);
    }

    [Fact]
    public async Task ListTemplatesAsync_BudgetUsedUp_WaitsForTheRollingHour()
    {
        _api.ServePages(Waba, Page(1, 1), Page(2, 1), Page(3, 1));
        var time = new WatchedFakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var client = Client(time, ("Meta:GraphApi:CallsPerHourPerAccount", "2"));

        var listing = ListAsync(client);
        await time.WaitForTimerAsync(due => due > TimeSpan.FromMinutes(59), TimeSpan.FromSeconds(10));

        Assert.Equal(2, _api.Received.Count);
        Assert.False(listing.IsCompleted);
        time.Advance(TimeSpan.FromHours(1));
        var templates = await listing.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, templates.Count);
        Assert.Equal(3, _api.Received.Count);
    }

    [Fact]
    public async Task GetTemplateAsync_KnownTemplate_ReadsItById()
    {
        _api.ServePages(Waba, Page(1, 2), [FakeGraphApi.Template(42, "late_one", category: "MARKETING", correctCategory: "MARKETING")]);

        var template = await Client().GetTemplateAsync(Waba, "42");

        Assert.Equal(42, template.Id);
        Assert.Equal("late_one", template.Name);
        Assert.Equal("MARKETING", template.CorrectCategory);
        var request = Assert.Single(_api.Received);
        Assert.Equal($"/{FakeGraphApi.Version}/42", request.Path);
        Assert.Contains("fields=id,name", Uri.UnescapeDataString(request.Query), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListTemplatesAsync_FailuresOfEveryKind_NeverLogOrThrowTheToken()
    {
        _api.ServePages(Waba, Page(1, 3))
            .Fail(HttpStatusCode.BadRequest, code: 190, echoToken: true)
            .Fail(HttpStatusCode.BadRequest, code: 4, echoToken: true)
            .Fail(HttpStatusCode.InternalServerError, code: 2, echoToken: true, times: 2)
            .Fail(HttpStatusCode.TooManyRequests, code: 4, echoToken: true, times: 2);
        var client = Client(("Meta:GraphApi:MaxRetryAttempts", "1"), ("Meta:GraphApi:CallsPerHourPerAccount", "1000"));
        var messages = new List<string>();

        for (var i = 0; i < 4; i++)
        {
            var error = await Assert.ThrowsAsync<GraphApiException>(() => ListAsync(client, i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "1"));
            messages.Add(error.ToString());
        }

        Assert.Equal(6, _api.Received.Count);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Warning && e.Category.Contains("GraphApiClient", StringComparison.Ordinal));
        Assert.All(messages, m => Assert.DoesNotContain(Token, m, StringComparison.Ordinal));
        Assert.All(_logs.Entries, e =>
        {
            Assert.DoesNotContain(Token, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, e.Exception?.ToString() ?? "", StringComparison.Ordinal);
        });
    }

    private static JsonObject[] Page(int firstId, int count) =>
        [.. Enumerable.Range(firstId, count).Select(id => FakeGraphApi.Template(id))];

    private static async Task<List<GraphTemplate>> ListAsync(GraphApiClient client, string wabaId = Waba)
    {
        var templates = new List<GraphTemplate>();
        await foreach (var template in client.ListTemplatesAsync(wabaId))
        {
            templates.Add(template);
        }

        return templates;
    }

    private GraphApiClient Client(params (string Key, string Value)[] settings) => Client(TimeProvider.System, settings);

    private GraphApiClient Client(TimeProvider time, params (string Key, string Value)[] settings) =>
        Provider(time, settings).GetRequiredService<GraphApiClient>();

    private ServiceProvider Provider(params (string Key, string Value)[] settings) => Provider(TimeProvider.System, settings);

    private ServiceProvider Provider(TimeProvider time, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Meta:GraphApi:AccessToken"] = Token,
            ["Meta:GraphApi:BaseUrl"] = _api.BaseAddress.ToString(),
            ["Meta:GraphApi:PageSize"] = "3",
            ["Meta:GraphApi:RetryBaseDelay"] = "00:00:00.010",
            ["Meta:GraphApi:AttemptTimeout"] = "00:00:10",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace));
        _logs.AddTo(services);
        services.AddSingleton(time);
        services.AddGraphApi();
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }
}
