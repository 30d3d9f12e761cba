using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WebhookProcessor.Catalog;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Meta;

namespace WebhookProcessor.IntegrationTests.Ops;

public sealed class OpsApiTests
{
    /// <summary>Longer than any store's dead letter id.</summary>
    private const string LongId = "a123456789b123456789c123456789d123456789e123456789f123456789g123456789h123456789i123456789j123456789k123456789l123456789m123456789n123456789o123456789p123456789q123456789r123456789s123456789t123456789u123456789v123456789w123456789x123456789y123456789z123456789";
    [Theory]
    [InlineData("/api/events")]
    [InlineData("/api/templates")]
    [InlineData("/api/templates/1")]
    [InlineData("/api/dead-letters")]
    [InlineData("/api/dead-letters/1/body")]
    [InlineData("/api/events/some-event/raw")]
    public async Task OpsEndpoints_WithoutOrWithWrongKey_Answer401Problem(string path)
    {
        await using var service = await InProcessService.StartAsync();
        foreach (var key in new[] { null, "wrong-key-wrong-key-wrong-key", TestSecrets.OpsKey + "x" })
        {
            using var response = await service.Client.SendOpsAsync(path, key);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("X-Api-Key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Healthz_WithoutApiKey_AnswersShowingNoSecrets()
    {
        await using var service = await InProcessService.StartAsync();
        using var response = await service.Client.Http.GetAsync("/healthz");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(text);
        Assert.Equal("up", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("queueDepth").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("deadLetterCount").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("oldestMessageAgeSeconds").GetDouble());
        Assert.DoesNotContain(TestSecrets.AppSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestSecrets.OpsKey, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_WithoutGraphApiToken_SaysReconciliationIsOffAndWhy()
    {
        await using var service = await InProcessService.StartAsync();

        var health = await service.Client.HealthAsync();

        Assert.Equal("up", health.GetProperty("status").GetString());
        Assert.Equal("off: Meta:GraphApi:AccessToken is not set", health.GetProperty("reconciliation").GetString());
    }

    [Fact]
    public async Task Healthz_WithGraphApiToken_SaysConfiguredWithoutShowingTheToken()
    {
        var token = "EAAGtest" + Guid.NewGuid().ToString("N");
        await using var service = await InProcessService.StartAsync(new Dictionary<string, string?>
        {
            ["Meta:GraphApi:AccessToken"] = token,
            // Nothing calls the Graph API yet; should anything start to, it stays on this machine.
            ["Meta:GraphApi:BaseUrl"] = "http://127.0.0.1:9",
        });

        using var response = await service.Client.Http.GetAsync("/healthz");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(text);
        Assert.Equal("up", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("queueDepth").GetInt64());
        Assert.Equal("configured", json.RootElement.GetProperty("reconciliation").GetString());
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        Assert.DoesNotContain(token[8..], text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_FiltersAndCursorPaging_ReturnNewestFirstWithoutGapsOrOverlap()
    {
        await using var service = await InProcessService.StartAsync();
        for (var i = 0; i < 12; i++)
        {
            var waba = i % 2 == 0 ? "111" : "222";
            var statusEvent = i % 3 == 0 ? "REJECTED" : "APPROVED";
            using var response = await service.Client.PostWebhookAsync(Samples.StatusWebhook(100 + i, 1781000000 + (i * 60), waba, statusEvent));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await service.Client.WaitForIdleAsync();

        var pages = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await service.Client.GetOpsAsync("/api/events?limit=5" + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor)));
            pages.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(12, pages.Count);
        Assert.Equal(12, pages.Select(e => e.GetProperty("eventId").GetString()).Distinct().Count());
        var times = pages.Select(e => e.GetProperty("occurredAt").GetDateTime()).ToList();
        Assert.Equal(times.OrderByDescending(t => t).ToList(), times);

        Assert.Equal(6, (await service.Client.AllEventsAsync("&wabaId=111")).Count);
        Assert.Equal(4, (await service.Client.AllEventsAsync("&event=rejected")).Count);
        Assert.Single(await service.Client.AllEventsAsync("&templateId=105"));
        Assert.Equal(12, (await service.Client.AllEventsAsync("&field=message_template_status_update")).Count);
        Assert.Empty(await service.Client.AllEventsAsync("&field=template_category_update"));
        Assert.Equal(12, (await service.Client.AllEventsAsync("&kind=status")).Count);

        // from is inclusive, to exclusive: events 2, 3 and 4 (entry times +120 s .. +240 s).
        var window = await service.Client.AllEventsAsync("&from=2026-06-09T10:15:20Z&to=2026-06-09T10:18:20Z");
        Assert.Equal(["104", "103", "102"], window.Select(e => e.GetProperty("templateId").GetString()!).ToArray());
    }

    [Fact]
    public async Task Events_ListedItems_CarryEveryDocumentedProperty()
    {
        await using var service = await InProcessService.StartAsync();
        using (var response = await service.Client.PostWebhookAsync(Samples.Read("category-update-impending.json")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await service.Client.WaitForIdleAsync();
        var item = Assert.Single(await service.Client.AllEventsAsync());
        foreach (var name in new[]
                 {
                     "eventId", "wabaId", "templateId", "templateName", "language", "field", "event", "reason", "category",
                     "previousCategory", "newCategory", "correctCategory", "effectiveAt", "occurredAt", "receivedAt", "raw", "source",
                 })
        {
            Assert.True(item.TryGetProperty(name, out _), $"missing {name}");
        }

        Assert.Equal(JsonValueKind.String, item.GetProperty("templateId").ValueKind);
        Assert.Equal("278077987957091", item.GetProperty("templateId").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("event").ValueKind);
        Assert.Equal("UTILITY", item.GetProperty("category").GetString());
        Assert.Equal("MARKETING", item.GetProperty("newCategory").GetString());
        Assert.Equal("2025-05-02T07:00:00Z", item.GetProperty("effectiveAt").GetString());
        Assert.Equal("2025-05-01T07:00:00Z", item.GetProperty("occurredAt").GetString());
        Assert.EndsWith("Z", item.GetProperty("receivedAt").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_PostedWebhookAndReconciliationEvent_CarryTheirSource()
    {
        await using var service = await InProcessService.StartAsync();
        using (var response = await service.Client.PostWebhookAsync(Samples.StatusWebhook(301, 1781000000, "111", "APPROVED")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await service.Client.WaitForIdleAsync();

        // Nothing makes reconciliation events yet: one is written straight to the store the service reads.
        var store = service.Services.GetRequiredService<ITemplateStore>();
        var found = new TemplateEvent
        {
            EventId = "reconciled-1",
            WabaId = "111",
            Field = MetaFields.StatusUpdate,
            Kind = EventKind.Status,
            TemplateId = 301,
            Event = "PAUSED",
            OccurredAt = DateTimeOffset.FromUnixTimeSeconds(1781000100),
            ReceivedAt = DateTimeOffset.FromUnixTimeSeconds(1781000100),
            Raw = "{}",
            Source = EventSource.Reconciliation,
        };
        await store.ApplyAsync([found], found.ReceivedAt, (current, e) => EventDecision.Of(CatalogRules.Apply(current, e)));

        // The whole history and the template's own timeline show the same field.
        foreach (var filter in new[] { string.Empty, "&templateId=301" })
        {
            var items = await service.Client.AllEventsAsync(filter);
            Assert.Equal(["reconciliation", "webhook"], items.Select(e => e.GetProperty("source").GetString()!).ToArray());
            Assert.Equal("reconciled-1", items[0].GetProperty("eventId").GetString());
            Assert.Equal("APPROVED", items[1].GetProperty("event").GetString());
        }
    }

    [Fact]
    public async Task Templates_WithFilters_FiltersByAccountStatusCategoryAndPendingChange()
    {
        await using var service = await InProcessService.StartAsync();
        string[] bodies =
        [
            Samples.StatusWebhook(201, 1781000000, "111", "APPROVED", "UTILITY"),
            Samples.StatusWebhook(202, 1781000000, "111", "REJECTED", "MARKETING", "INCORRECT_CATEGORY"),
            Samples.StatusWebhook(203, 1781000000, "222", "APPROVED", "UTILITY"),
            Samples.CategoryNotice(203, 1781000100, "UTILITY", "MARKETING", 1781086500, "222"),
        ];
        foreach (var body in bodies)
        {
            using var response = await service.Client.PostWebhookAsync(body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await service.Client.WaitForIdleAsync();

        static string[] Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("templateId").GetString()!).ToArray();
        Assert.Equal(["201", "202"], Ids(await service.Client.GetOpsAsync("/api/templates?wabaId=111")));
        Assert.Equal(["202"], Ids(await service.Client.GetOpsAsync("/api/templates?status=REJECTED")));
        Assert.Equal(["201", "203"], Ids(await service.Client.GetOpsAsync("/api/templates?category=utility")));
        Assert.Equal(["203"], Ids(await service.Client.GetOpsAsync("/api/templates?pendingChange=true")));
        Assert.Equal(["201", "202"], Ids(await service.Client.GetOpsAsync("/api/templates?pendingChange=false")));

        var firstPage = await service.Client.GetOpsAsync("/api/templates?limit=2");
        Assert.Equal(["201", "202"], Ids(firstPage));
        var secondPage = await service.Client.GetOpsAsync("/api/templates?limit=2&cursor=" + firstPage.GetProperty("nextCursor").GetString());
        Assert.Equal(["203"], Ids(secondPage));
        Assert.Equal(JsonValueKind.Null, secondPage.GetProperty("nextCursor").ValueKind);

        var pending = (await service.Client.GetOpsAsync("/api/templates/203")).GetProperty("pendingCategoryChange");
        Assert.Equal("UTILITY", pending.GetProperty("from").GetString());
        Assert.Equal("MARKETING", pending.GetProperty("to").GetString());
        Assert.Equal("2026-06-10T10:15:00Z", pending.GetProperty("effectiveAt").GetString());
        Assert.True(pending.GetProperty("effectiveAtKnown").GetBoolean());
        // June 2026 is long past and no completed update came: overdue.
        Assert.True(pending.GetProperty("overdue").GetBoolean());
    }

    [Fact]
    public async Task Template_PendingChangeStillAhead_IsNotOverdue()
    {
        await using var service = await InProcessService.StartAsync();
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        using (var response = await service.Client.PostWebhookAsync(Samples.CategoryNotice(204, now, "UTILITY", "MARKETING", now + 86_400 * 30)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await service.Client.WaitForIdleAsync();

        var pending = (await service.Client.GetOpsAsync("/api/templates/204")).GetProperty("pendingCategoryChange");
        Assert.False(pending.GetProperty("overdue").GetBoolean());
        Assert.Single((await service.Client.GetOpsAsync("/api/templates?pendingChange=true")).GetProperty("items").EnumerateArray(),
            t => !t.GetProperty("pendingCategoryChange").GetProperty("overdue").GetBoolean());
    }

    [Fact]
    public async Task Template_Unknown_Answers404Problem()
    {
        await using var service = await InProcessService.StartAsync();
        using var response = await service.Client.SendOpsAsync("/api/templates/123456789");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/api/events?limit=0", "limit")]
    [InlineData("/api/events?limit=abc", "limit")]
    [InlineData("/api/events?templateId=12.5", "templateId")]
    [InlineData("/api/events?from=yesterday", "from")]
    [InlineData("/api/events?kind=nonsense", "kind")]
    [InlineData("/api/events?cursor=%25%25%25", "cursor")]
    [InlineData("/api/templates?pendingChange=maybe", "pendingChange")]
    [InlineData("/api/templates?cursor=bm90LWEtbnVtYmVy", "cursor")]
    [InlineData("/api/templates/abc", "templateId")]
    [InlineData("/api/dead-letters?limit=100000", "limit")]
    [InlineData("/api/dead-letters?includeRaw=perhaps", "includeRaw")]
    [InlineData("/api/events?includeRaw=perhaps", "includeRaw")]
    [InlineData("/api/dead-letters/" + LongId + "/body", "id")]
    public async Task OpsQueries_BadParameter_Answer400ProblemNamingIt(string path, string parameter)
    {
        await using var service = await InProcessService.StartAsync();
        using var response = await service.Client.SendOpsAsync(path);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(parameter, out _), text);
    }

    [Theory]
    [InlineData("[1,2,3]", "application/json")]
    [InlineData("this is not json", "text/plain")]
    public async Task DeadLetters_ListedWithoutBody_AndItsBodyRouteReturnsTheStoredBytes(string body, string contentType)
    {
        await using var service = await InProcessService.StartAsync();
        using (var posted = await service.Client.PostWebhookAsync(body))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        var item = Assert.Single((await service.Client.GetOpsAsync("/api/dead-letters")).GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("rawBody").ValueKind);
        Assert.Equal(JsonValueKind.Null, item.GetProperty("rawBodyBase64").ValueKind);
        Assert.Equal(Encoding.UTF8.GetByteCount(body), item.GetProperty("bodyBytes").GetInt64());
        var url = item.GetProperty("bodyUrl").GetString()!;
        Assert.Equal($"/api/dead-letters/{item.GetProperty("id").GetString()}/body", url);

        using var response = await service.Client.SendOpsAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Encoding.UTF8.GetBytes(body), await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/api/dead-letters/987654/body")]
    [InlineData("/api/dead-letters/abc/body")]
    [InlineData("/api/events/no-such-event/raw")]
    public async Task BodyRoutes_UnknownItem_Answer404Problem(string path)
    {
        await using var service = await InProcessService.StartAsync();
        using var response = await service.Client.SendOpsAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Events_ListedWithoutRaw_AndTheRawRouteReturnsTheChangeAsReceived()
    {
        await using var service = await InProcessService.StartAsync();
        using (var response = await service.Client.PostWebhookAsync(Samples.Read("category-update-impending.json")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await service.Client.WaitForIdleAsync();
        var item = Assert.Single(await service.Client.AllEventsAsync());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("raw").ValueKind);
        var url = item.GetProperty("rawUrl").GetString()!;

        using var raw = await service.Client.SendOpsAsync(url);
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Equal("application/json", raw.Content.Headers.ContentType?.MediaType);
        var bytes = await raw.Content.ReadAsByteArrayAsync();
        Assert.Equal(item.GetProperty("rawBytes").GetInt64(), bytes.LongLength);
        using var change = JsonDocument.Parse(bytes);
        Assert.Equal(item.GetProperty("field").GetString(), change.RootElement.GetProperty("field").GetString());

        var included = Assert.Single(await service.Client.AllEventsAsync("&includeRaw=true"));
        Assert.Equal(Encoding.UTF8.GetString(bytes), included.GetProperty("raw").GetRawText());
    }

    [Fact]
    public async Task DeadLetters_PageOverTheByteBudget_StopsEarlyWithACursorThatContinues()
    {
        await using var service = await InProcessService.StartAsync(new Dictionary<string, string?> { ["Ops:MaxPageBytes"] = "4096" });
        var bodies = Enumerable.Range(0, 5).Select(i => $"[\"{i}{new string('x', 3000)}\"]").ToList();
        foreach (var body in bodies)
        {
            using var posted = await service.Client.PostWebhookAsync(body);
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            using var response = await service.Client.SendOpsAsync("/api/dead-letters?limit=500&includeRaw=true" + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor)));
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(bytes.Length < 8192, $"a page of {bytes.Length} bytes passes the 4096-byte budget by more than one item");
            using var page = JsonDocument.Parse(bytes);
            var items = page.RootElement.GetProperty("items").EnumerateArray().ToList();
            Assert.Single(items);
            seen.AddRange(items.Select(i => i.GetProperty("rawBody").GetString()!));
            cursor = page.RootElement.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(bodies.AsEnumerable().Reverse(), seen);
    }
}
