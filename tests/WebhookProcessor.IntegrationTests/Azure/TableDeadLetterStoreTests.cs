using Azure.Data.Tables;
using WebhookProcessor.Azure;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Queue;

namespace WebhookProcessor.IntegrationTests.Azure;

/// <summary>What the dead-letter table adds to the store contract: one row per message, and removal by the listed id.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableDeadLetterStoreTests(AzuriteServer azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly AzuriteTables _tables = new(azurite, "d");
    private TableDeadLetterStore _store = null!;

    public Task InitializeAsync()
    {
        _store = new TableDeadLetterStore(_tables.Client, _tables.Names);
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _tables.DisposeAsync().AsTask();

    [Fact]
    public async Task AddAsync_SameMessageRedeliveredAndAddedAgain_KeepsOneRow()
    {
        var first = Letter("m1", T0, "first failure");

        await _store.AddAsync([first]);
        await _store.AddAsync([first]);
        await _store.AddAsync([first with { DeadLetteredAt = T0.AddMinutes(5), DeliveryCount = 11, Reason = "again" }]);

        var listed = Assert.Single((await _store.ListDeadLettersAsync(10, null)).Items);
        Assert.Equal(("m1", "first failure"), (listed.MessageId, listed.Reason));
        Assert.Equal(1, (await _store.GetStatsAsync()).DeadLetterCount);
    }

    [Fact]
    public async Task AddAsync_SameMessageFromConcurrentCallers_KeepsOneRow()
    {
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => _store.AddAsync([Letter("race", T0.AddTicks(i), "r" + i)])));

        Assert.Single((await _store.ListDeadLettersAsync(10, null)).Items);
    }

    [Fact]
    public async Task AddAsync_LettersWithoutMessageId_AreEachKept()
    {
        await _store.AddAsync([Letter(null, T0, "a"), Letter(null, T0, "b")]);

        Assert.Equal(["a", "b"], (await _store.ListDeadLettersAsync(10, null)).Items.Select(l => l.Reason).Order());
    }

    [Fact]
    public async Task RemoveDeadLetterAsync_ListedId_RemovesItSoTheMessageCanBeDeadLetteredAgain()
    {
        await _store.AddAsync([Letter("m1", T0, "first"), Letter("m2", T0.AddSeconds(1), "other")]);
        var id = (await _store.ListDeadLettersAsync(10, null)).Items.Single(l => l.MessageId == "m1").Id;

        Assert.True(await _store.RemoveDeadLetterAsync(id));

        Assert.Null(await _store.GetDeadLetterAsync(id));
        Assert.False(await _store.RemoveDeadLetterAsync(id));
        Assert.Equal(["m2"], (await _store.ListDeadLettersAsync(10, null)).Items.Select(l => l.MessageId));
        // Replayed and failing again: a new letter, since the old one (and its claim) is gone.
        await _store.AddAsync([Letter("m1", T0.AddMinutes(1), "second")]);
        Assert.Equal(["second", "other"], (await _store.ListDeadLettersAsync(10, null)).Items.Select(l => l.Reason));
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("not-an-id")]
    [InlineData("-1")]
    [InlineData("99999999999999999999")]
    [InlineData("")]
    public async Task RemoveDeadLetterAsync_UnknownOrMalformedId_ReturnsFalseAndKeepsTheRest(string id)
    {
        await _store.AddAsync([Letter("m1", T0, "kept")]);

        Assert.False(await _store.RemoveDeadLetterAsync(id));

        Assert.Single((await _store.ListDeadLettersAsync(10, null)).Items);
    }

    private static DeadLetter Letter(string? messageId, DateTimeOffset at, string reason) =>
        new(messageId, DeadLetterSource.Poison, reason, T0, at, [1, 2, 3], "w", "field", 10);
}
