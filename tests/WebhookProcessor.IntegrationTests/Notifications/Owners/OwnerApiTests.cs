using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WebhookProcessor.Notifications;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Notifications;

public sealed class OwnerApiTests : IAsyncLifetime
{
    private InProcessService _service = null!;

    public async Task InitializeAsync() => _service = await InProcessService.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, object? body = null, string? key = TestSecrets.OpsKey)
    {
        using var response = await _service.Client.SendOpsAsync(method, path, body, key);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static object Owner(string? email = "ana@example.com", string? teams = null, string? wabaId = null, string? pattern = null, string language = "es") => new
    {
        displayName = "Ana",
        emails = email is null ? Array.Empty<string>() : [email],
        teamsWebhookUrl = teams,
        language,
        match = new { wabaId, templateNamePattern = pattern },
    };

    [Fact]
    public async Task Owners_CreateListReplaceDelete_Succeed()
    {
        var teams = "https://prod-12.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=TopSecret123";
        var (created, body) = await SendAsync(HttpMethod.Put, "/api/owners/payments", Owner(teams: teams, pattern: "payment_*"));
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("payments", body.GetProperty("ownerId").GetString());
        Assert.DoesNotContain("TopSecret123", body.GetRawText(), StringComparison.Ordinal);

        var (listed, list) = await SendAsync(HttpMethod.Get, "/api/owners");
        Assert.Equal(HttpStatusCode.OK, listed);
        var owner = Assert.Single(list.EnumerateArray());
        Assert.Equal("payment_*", owner.GetProperty("match").GetProperty("templateNamePattern").GetString());
        Assert.StartsWith("https://prod-12.westus.logic.azure.com", owner.GetProperty("teamsWebhookUrl").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", owner.GetProperty("teamsWebhookUrl").GetString(), StringComparison.Ordinal);

        var (replaced, updated) = await SendAsync(HttpMethod.Put, "/api/owners/payments", Owner(email: "luis@example.com", language: "en", pattern: "payment_*"));
        Assert.Equal(HttpStatusCode.OK, replaced);
        Assert.Equal("en", updated.GetProperty("language").GetString());
        Assert.Equal(["luis@example.com"], updated.GetProperty("emails").EnumerateArray().Select(e => e.GetString()));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, "/api/owners/payments")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, "/api/owners/payments")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/api/owners/payments")).Status);
    }

    [Theory]
    [InlineData(null, null, "emails")]
    [InlineData("not-an-email", null, "emails[0]")]
    [InlineData(null, "http://example.com/hook?sig=1", "teamsWebhookUrl")]
    [InlineData(null, "ftp://example.com/hook", "teamsWebhookUrl")]
    public async Task PutOwner_InvalidOwner_Answers400NamingTheField(string? email, string? teams, string field)
    {
        var (status, problem) = await SendAsync(HttpMethod.Put, "/api/owners/x", Owner(email: email, teams: teams));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        Assert.Empty((await SendAsync(HttpMethod.Get, "/api/owners")).Body.EnumerateArray());
    }

    [Theory]
    [InlineData("https://127.0.0.1:8080/workflows/abc?sig=1")]
    [InlineData("https://[::1]/workflows/abc?sig=1")]
    [InlineData("https://localhost/workflows/abc?sig=1")]
    [InlineData("https://2130706433/workflows/abc?sig=1")]
    [InlineData("https://0x7f000001/workflows/abc?sig=1")]
    [InlineData("https://[::ffff:127.0.0.1]/workflows/abc?sig=1")]
    [InlineData("https://10.0.0.1/workflows/abc?sig=1")]
    [InlineData("https://169.254.169.254/latest/meta-data/?sig=1")]
    [InlineData("https://internal.example.com/workflows/abc?sig=1")]
    [InlineData("https://logic.azure.com.evil.example/workflows/abc?sig=1")]
    [InlineData("https://evillogic.azure.com/workflows/abc?sig=1")]
    public async Task PutOwner_TeamsUrlOffWorkflowsHosts_IsRefused(string teams)
    {
        var (status, problem) = await SendAsync(HttpMethod.Put, "/api/owners/x", Owner(teams: teams));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("teamsWebhookUrl", out _), problem.GetRawText());
        Assert.DoesNotContain("sig=1", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Empty((await SendAsync(HttpMethod.Get, "/api/owners")).Body.EnumerateArray());
    }

    [Theory]
    [InlineData("https://prod-27.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=1")]
    [InlineData("https://default0123456789abcdef0123456789ab.cd.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=1")]
    public async Task PutOwner_TeamsUrlOnWorkflowsHosts_IsAccepted(string teams)
    {
        var (status, problem) = await SendAsync(HttpMethod.Put, "/api/owners/x", Owner(teams: teams));

        Assert.True(status == HttpStatusCode.Created, problem.GetRawText());
    }

    [Fact]
    public async Task PutOwner_SameMatchAsAnother_Answers409()
    {
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Put, "/api/owners/first", Owner())).Status);
        var (status, problem) = await SendAsync(HttpMethod.Put, "/api/owners/second", Owner(email: "b@example.com"));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("first", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListOwners_WithAndWithoutLimit_PagesByCursorOrListsWhole()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Put, $"/api/owners/team-{i}", Owner(wabaId: $"10{i}"))).Status);
        }

        var (_, whole) = await SendAsync(HttpMethod.Get, "/api/owners");
        Assert.Equal(JsonValueKind.Array, whole.ValueKind);
        Assert.Equal(5, whole.GetArrayLength());

        var ids = new List<string>();
        var path = "/api/owners?limit=2";
        var pages = 0;
        while (path is not null && pages++ < 10)
        {
            var (status, page) = await SendAsync(HttpMethod.Get, path);
            Assert.Equal(HttpStatusCode.OK, status);
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, 2);
            ids.AddRange(items.Select(o => o.GetProperty("ownerId").GetString()!));
            path = page.GetProperty("nextCursor").GetString() is { } cursor ? "/api/owners?limit=2&cursor=" + Uri.EscapeDataString(cursor) : null;
        }

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"team-{i}"), ids);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Get, "/api/owners?limit=0")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Get, "/api/owners?cursor=%25%25")).Status);
    }

    [Fact]
    public async Task PutOwner_ClashAmongThousands_Answers409()
    {
        var store = _service.Services.GetRequiredService<WebhookProcessor.Notifications.INotificationStore>();
        for (var i = 0; i < 5000; i++)
        {
            await store.UpsertOwnerAsync(new WebhookProcessor.Notifications.Owner { Id = $"bulk-{i:D4}", DisplayName = "Bulk", Emails = ["b@example.com"], Match = new WebhookProcessor.Notifications.OwnerMatch($"7{i}", null) }, DateTimeOffset.UnixEpoch);
        }

        var (status, problem) = await SendAsync(HttpMethod.Put, "/api/owners/clash", Owner(wabaId: "71234"));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("bulk-1234", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Put, "/api/owners/free", Owner(wabaId: "75000"))).Status);
    }

    [Fact]
    public async Task OwnersAndNotifications_WithoutApiKey_Answer401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/api/owners", key: null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Put, "/api/owners/x", Owner(), key: "wrong-key-0123456789")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/api/notifications", key: null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Post, "/api/notifications/abc/retry", key: null)).Status);
    }

    [Fact]
    public async Task Notifications_InvalidQuery_IsRejected()
    {
        var (status, problem) = await SendAsync(HttpMethod.Get, "/api/notifications?status=lost");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("status", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, "/api/notifications/unknown/retry")).Status);
    }
}

public sealed class OwnerSeedTests
{
    [Fact]
    public async Task SeedFile_ListedOwners_AreLoadedAtStart()
    {
        var file = Path.Combine(Path.GetTempPath(), $"owners-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            [
              {"id":"default","displayName":"Operaciones","emails":["ops@example.com"],"language":"es","match":{"wabaId":null,"templateNamePattern":null}},
              {"id":"payments","displayName":"Payments","emails":["pay@example.com"],"language":"en","match":{"wabaId":"109876543210987","templateNamePattern":"order_*"}}
            ]
            """);
        try
        {
            await using var service = await InProcessService.StartAsync(new Dictionary<string, string?> { ["Notifications:OwnersFile"] = file });
            var owners = await service.Client.GetOpsAsync("/api/owners");
            Assert.Equal(["default", "payments"], owners.EnumerateArray().Select(o => o.GetProperty("ownerId").GetString()));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task OwnerSeed_HostedServiceRegisteredBeforeIt_FindsTheOwnersAlreadyInPlace()
    {
        var file = Path.Combine(Path.GetTempPath(), $"owners-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            [{"id":"default","displayName":"Operaciones","emails":["ops@example.com"],"language":"es","match":{"wabaId":null,"templateNamePattern":null}}]
            """);
        OwnerProbe? probe = null;
        try
        {
            // A hosted service at the very front of the list stands in for anything that routes alerts
            // as soon as it starts: the seed must not depend on being registered ahead of it.
            await using var service = await InProcessService.StartAsync(
                new Dictionary<string, string?> { ["Notifications:OwnersFile"] = file },
                overrides: s => s.Insert(0, ServiceDescriptor.Singleton<IHostedService>(sp => probe = new OwnerProbe(sp.GetRequiredService<INotificationStore>()))));

            Assert.NotNull(probe);
            Assert.Equal(["default"], probe.OwnersAtStart);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task SeedFile_InvalidEntry_StopsStartUpNamingIt()
    {
        var file = Path.Combine(Path.GetTempPath(), $"owners-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """[{"id":"broken","displayName":"X","emails":["nope"]}]""");
        try
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => InProcessService.StartAsync(new Dictionary<string, string?> { ["Notifications:OwnersFile"] = file }));
            var message = error is AggregateException aggregate ? string.Join(" ", aggregate.InnerExceptions.Select(e => e.Message)) : error.Message;
            Assert.Contains("Notifications:OwnersFile", message, StringComparison.Ordinal);
            Assert.Contains("emails[0]", message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

/// <summary>Records which owners exist when the host starts it.</summary>
internal sealed class OwnerProbe(INotificationStore store) : IHostedService
{
    public IReadOnlyList<string> OwnersAtStart { get; private set; } = [];

    public async Task StartAsync(CancellationToken cancellationToken) =>
        OwnersAtStart = [.. (await store.ListOwnersAsync(cancellationToken)).Select(o => o.Id)];

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
