using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using WebhookProcessor.Azure;
using WebhookProcessor.Catalog;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Meta;
using WebhookProcessor.Notifications;
using WebhookProcessor.Processing;

namespace WebhookProcessor.IntegrationTests.Azure;

/// <summary>
/// Two instances on one account, each with its own cache of catalog rows and index copies: what one
/// cached must never stand in for what the other has written since.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableTemplateStoreCacheTests(AzuriteServer azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Received = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly AzuriteTables _tables = new(azurite, "k");
    private TableTemplateStore _first = null!;
    private TableTemplateStore _second = null!;

    public Task InitializeAsync()
    {
        _first = new TableTemplateStore(_tables.Client, _tables.Names, NullLogger<TableTemplateStore>.Instance);
        _second = new TableTemplateStore(azurite.CreateClient(), _tables.Names, NullLogger<TableTemplateStore>.Instance);
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _tables.DisposeAsync().AsTask();

    [Fact]
    public async Task Apply_AfterAnotherInstanceChangedTheTemplate_DecidesAgainstWhatItWrote()
    {
        await ApplyAsync(_first, Status("a", "APPROVED", 100));
        await ApplyAsync(_second, Status("b", "PAUSED", 200));

        // Older than the second instance's change: stale against the stored row, applied against the first's cached one.
        var older = await ApplyAsync(_first, Status("c", "REJECTED", 150));

        Assert.False(older.CatalogApplied);
        Assert.Equal("PAUSED", (await _first.GetTemplateAsync(7))!.Status);
    }

    [Fact]
    public async Task Apply_AfterAnotherInstanceWroteTheIndexCopies_LeavesTheNewestInTheListing()
    {
        await ApplyAsync(_first, Status("a", "APPROVED", 100));
        await ApplyAsync(_second, Status("b", "PAUSED", 200));

        Assert.True((await ApplyAsync(_first, Status("c", "REJECTED", 300))).CatalogApplied);

        Assert.Equal(["REJECTED"], (await _second.QueryTemplatesAsync(new TemplateQuery())).Items.Select(t => t.Status));
        Assert.Equal(["REJECTED"], (await _second.QueryTemplatesAsync(new TemplateQuery(WabaId: "w"))).Items.Select(t => t.Status));
        Assert.Equal(3, (await _second.QueryEventsAsync(new EventQuery(TemplateId: 7))).Items.Count);
    }

    private static async Task<ApplyResult> ApplyAsync(TableTemplateStore store, TemplateEvent e) =>
        (await store.ApplyAsync([e], Received, (current, ev) => TemplateDecision.Decide(current, ev, [], new NotificationOptions())))[0];

    private static TemplateEvent Status(string id, string status, long time) => new()
    {
        EventId = id,
        WabaId = "w",
        Field = MetaFields.StatusUpdate,
        Kind = EventKind.Status,
        Event = status,
        TemplateId = 7,
        TemplateName = "seven",
        Language = "en",
        OccurredAt = DateTimeOffset.FromUnixTimeSeconds(time),
        ReceivedAt = Received,
        Raw = "{}",
    };
}
