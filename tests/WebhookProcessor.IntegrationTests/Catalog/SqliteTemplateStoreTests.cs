using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WebhookProcessor.Catalog;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Meta;
using WebhookProcessor.Processing;
using WebhookProcessor.Storage;

namespace WebhookProcessor.IntegrationTests.Catalog;

/// <summary>SQLite-only behaviour; what every store does is in Contracts/TemplateStoreContract, run on SQLite too.</summary>
public sealed class SqliteTemplateStoreTests : IDisposable
{
    private static readonly DateTimeOffset Received = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new("wp-store-");
    private readonly SqliteTemplateStore _store;

    public SqliteTemplateStoreTests() => _store = new SqliteTemplateStore(new SqliteDatabase(Path.Combine(_folder.Path, "catalog.db")), TimeProvider.System, NullLogger<SqliteTemplateStore>.Instance);

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Apply_ManyEventsForOneTemplateInOneBatch_EndsInTheNewestState()
    {
        var events = Enumerable.Range(0, 50).Select(i => Status($"s{i}", 3, i % 2 == 0 ? "PAUSED" : "APPROVED", 100 + i)).ToList();

        await _store.ApplyAsync(events, Received, Decide);

        var template = await _store.GetTemplateAsync(3);
        Assert.Equal("APPROVED", template!.Status);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(149), template.LastEventAt);
    }

    [Fact]
    public async Task Create_CatalogAlone_MakesNoNotificationTables()
    {
        await _store.ApplyAsync([Status("only", 8, "REJECTED", 100)], Received, Decide);

        // The outbox and the owners are the notification store's: the catalog creates only its own tables.
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder.Path, "catalog.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
        var tables = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["events", "templates"], tables);
    }

    [Fact]
    public async Task RetentionService_WithRetentionSet_PrunesAtStart()
    {
        await _store.ApplyAsync([Status("old", 6, "APPROVED", 100) with { ReceivedAt = Received.AddDays(-10) }], Received, Decide);
        var service = new HistoryRetentionService(_store, Options.Create(new HistoryOptions { RetentionDays = 7 }), new FakeTimeProvider(Received), NullLogger<HistoryRetentionService>.Instance);

        await service.StartAsync(CancellationToken.None);
        await Eventually.Until(async () => (await _store.QueryEventsAsync(new EventQuery(TemplateId: 6))).Items.Count, n => n == 0, TimeSpan.FromSeconds(10), "pruning");
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task RetentionService_WithoutRetention_KeepsEverything()
    {
        await _store.ApplyAsync([Status("ancient", 7, "APPROVED", 100) with { ReceivedAt = Received.AddYears(-5) }], Received, Decide);
        var service = new HistoryRetentionService(_store, Options.Create(new HistoryOptions()), new FakeTimeProvider(Received), NullLogger<HistoryRetentionService>.Instance);

        await service.StartAsync(CancellationToken.None);
        await service.ExecuteTask!;
        await service.StopAsync(CancellationToken.None);

        Assert.Single((await _store.QueryEventsAsync(new EventQuery(TemplateId: 7))).Items);
    }

    [Fact]
    public async Task Open_FileFromBeforeEventSources_ReadsItsEventsAsWebhooksAndStoresNewSources()
    {
        var file = Path.Combine(_folder.Path, "legacy.db");

        // The events table as earlier versions created it (no source column), with one event in it.
        await using (var connection = new SqliteConnection($"Data Source={file}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE events (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, waba_id TEXT NOT NULL,
                    template_id INTEGER NULL, template_name TEXT NULL, language TEXT NULL, field TEXT NOT NULL,
                    kind TEXT NOT NULL, event TEXT NULL, reason TEXT NULL, category TEXT NULL, previous_category TEXT NULL,
                    new_category TEXT NULL, correct_category TEXT NULL, effective_at INTEGER NULL, previous_quality TEXT NULL,
                    new_quality TEXT NULL, other_info_title TEXT NULL, other_info_description TEXT NULL,
                    disable_date INTEGER NULL, rejection_reason TEXT NULL, rejection_recommendation TEXT NULL,
                    occurred_at INTEGER NOT NULL, received_at INTEGER NOT NULL, processed_at INTEGER NOT NULL,
                    catalog_applied INTEGER NOT NULL, raw TEXT NOT NULL);
                INSERT INTO events (event_id, waba_id, template_id, field, kind, event, occurred_at, received_at, processed_at, catalog_applied, raw)
                VALUES ('old', 'w', 4, 'message_template_status_update', 'status', 'APPROVED', 100000, 100000, 100000, 1, '{}');
                """;
            await command.ExecuteNonQueryAsync();
        }

        // Opened twice: adding the column happens once, and a second open must not try again.
        for (var open = 0; open < 2; open++)
        {
            await using var store = new SqliteTemplateStore(new SqliteDatabase(file), TimeProvider.System, NullLogger<SqliteTemplateStore>.Instance);
            await store.ApplyAsync([Status($"found{open}", 4, "PAUSED", 200 + open) with { Source = EventSource.Reconciliation }], Received, Decide);

            var listed = (await store.QueryEventsAsync(new EventQuery(TemplateId: 4))).Items;
            Assert.Equal(
                [.. Enumerable.Range(0, open + 1).Reverse().Select(i => ($"found{i}", EventSource.Reconciliation)), ("old", EventSource.Webhook)],
                listed.Select(s => (s.Event.EventId, s.Event.Source)).ToArray());
        }
    }

    /// <summary>The catalog's rules alone: these tests write no outbox items.</summary>
    private static EventDecision Decide(TemplateRecord? current, TemplateEvent e) => EventDecision.Of(CatalogRules.Apply(current, e));

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
