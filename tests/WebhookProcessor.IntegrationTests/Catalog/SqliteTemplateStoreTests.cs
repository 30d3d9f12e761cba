using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebhookProcessor.Catalog;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Processing;
using WebhookProcessor.Storage;

namespace WebhookProcessor.IntegrationTests.Catalog;

public sealed class SqliteTemplateStoreTests : IDisposable
{
    private static readonly DateTimeOffset Received = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "wp-store-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteTemplateStore _store;

    public SqliteTemplateStoreTests() => _store = new SqliteTemplateStore(new SqliteDatabase(Path.Combine(_folder, "catalog.db")), TimeProvider.System, NullLogger<SqliteTemplateStore>.Instance);

    public void Dispose()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Apply_SameEventTwiceInOneBatchAndAcrossBatches_IsRecordedOnce()
    {
        var approved = Status("e1", 1, "APPROVED", 100);

        var first = await _store.ApplyAsync([approved, approved], Received);
        var second = await _store.ApplyAsync([approved], Received);

        Assert.Equal([false, true], first.Select(r => r.Duplicate).ToArray());
        Assert.True(second[0].Duplicate);
        Assert.Single((await _store.QueryEventsAsync(new EventQuery(TemplateId: 1))).Items);
    }

    [Fact]
    public async Task Apply_OlderEventAfterNewer_IsKeptInHistoryButDoesNotRollBack()
    {
        await _store.ApplyAsync([Status("new", 2, "PAUSED", 200)], Received);
        var results = await _store.ApplyAsync([Status("old", 2, "APPROVED", 100)], Received);

        Assert.False(results[0].CatalogApplied);
        Assert.Equal("PAUSED", (await _store.GetTemplateAsync(2))!.Status);
        var history = (await _store.QueryEventsAsync(new EventQuery(TemplateId: 2))).Items;
        Assert.Equal(2, history.Count);
        Assert.False(history.Single(h => h.Event.EventId == "old").CatalogApplied);
        Assert.True(history.Single(h => h.Event.EventId == "new").CatalogApplied);
    }

    [Fact]
    public async Task Apply_ManyEventsForOneTemplateInOneBatch_EndsInTheNewestState()
    {
        var events = Enumerable.Range(0, 50).Select(i => Status($"s{i}", 3, i % 2 == 0 ? "PAUSED" : "APPROVED", 100 + i)).ToList();

        await _store.ApplyAsync(events, Received);

        var template = await _store.GetTemplateAsync(3);
        Assert.Equal("APPROVED", template!.Status);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(149), template.LastEventAt);
    }

    [Fact]
    public async Task Catalog_RoundTripsEveryColumn()
    {
        var notice = new TemplateEvent
        {
            EventId = "n", WabaId = "w", Field = MetaFields.CategoryUpdate, Kind = EventKind.CategoryChangePending,
            TemplateId = long.MaxValue, TemplateName = "pago", Language = "es_MX", Category = "UTILITY", NewCategory = "MARKETING",
            CorrectCategory = "MARKETING", EffectiveAt = DateTimeOffset.FromUnixTimeSeconds(5000),
            OccurredAt = DateTimeOffset.FromUnixTimeSeconds(1000), ReceivedAt = Received, Raw = "{}",
        };
        await _store.ApplyAsync([notice, Status("r", long.MaxValue, "REJECTED", 1001) with { Reason = "INVALID_FORMAT", RejectionReason = "why", RejectionRecommendation = "fix" }], Received);

        var template = (await _store.GetTemplateAsync(long.MaxValue))!;
        Assert.Equal(long.MaxValue, template.TemplateId);
        Assert.Equal(new PendingCategoryChange("UTILITY", "MARKETING", DateTimeOffset.FromUnixTimeSeconds(5000), DateTimeOffset.FromUnixTimeSeconds(1000)), template.PendingCategoryChange);
        Assert.Equal(("REJECTED", "INVALID_FORMAT", "why", "fix"), (template.Status, template.LastReason, template.RejectionReason, template.RejectionRecommendation));
        Assert.Equal(("pago", "es_MX", "w"), (template.Name, template.Language, template.WabaId));
        Assert.Equal(Received, template.FirstSeenAt);
    }

    [Fact]
    public async Task PruneHistory_RemovesOnlyOlderEventsAndKeepsTheCatalog()
    {
        await _store.ApplyAsync([Status("old", 4, "APPROVED", 100) with { ReceivedAt = Received.AddDays(-40) }], Received);
        await _store.ApplyAsync([Status("recent", 5, "APPROVED", 100)], Received);

        var removed = await _store.PruneHistoryAsync(Received.AddDays(-30));

        Assert.Equal(1, removed);
        Assert.Empty((await _store.QueryEventsAsync(new EventQuery(TemplateId: 4))).Items);
        Assert.Single((await _store.QueryEventsAsync(new EventQuery(TemplateId: 5))).Items);
        Assert.NotNull(await _store.GetTemplateAsync(4));
    }

    [Fact]
    public async Task RetentionService_WithRetentionSet_PrunesAtStart()
    {
        await _store.ApplyAsync([Status("old", 6, "APPROVED", 100) with { ReceivedAt = Received.AddDays(-10) }], Received);
        var service = new HistoryRetentionService(_store, Options.Create(new HistoryOptions { RetentionDays = 7 }), new ManualClock(Received), NullLogger<HistoryRetentionService>.Instance);

        await service.StartAsync(CancellationToken.None);
        await Eventually.Until(async () => (await _store.QueryEventsAsync(new EventQuery(TemplateId: 6))).Items.Count, n => n == 0, TimeSpan.FromSeconds(10), "pruning");
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task RetentionService_WithoutRetention_KeepsEverything()
    {
        await _store.ApplyAsync([Status("ancient", 7, "APPROVED", 100) with { ReceivedAt = Received.AddYears(-5) }], Received);
        var service = new HistoryRetentionService(_store, Options.Create(new HistoryOptions()), new ManualClock(Received), NullLogger<HistoryRetentionService>.Instance);

        await service.StartAsync(CancellationToken.None);
        await service.ExecuteTask!;
        await service.StopAsync(CancellationToken.None);

        Assert.Single((await _store.QueryEventsAsync(new EventQuery(TemplateId: 7))).Items);
    }

    private static TemplateEvent Status(string id, long templateId, string statusEvent, long time) => new()
    {
        EventId = id,
        WabaId = "w",
        Field = MetaFields.StatusUpdate,
        Kind = EventKind.Status,
        TemplateId = templateId,
        Event = statusEvent,
        OccurredAt = DateTimeOffset.FromUnixTimeSeconds(time),
        ReceivedAt = Received,
        Raw = "{}",
    };
}
