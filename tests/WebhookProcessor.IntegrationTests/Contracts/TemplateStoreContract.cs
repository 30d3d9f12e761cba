using System.Text;
using WebhookProcessor.Catalog;
using WebhookProcessor.Meta;
using WebhookProcessor.Notifications;
using WebhookProcessor.Processing;

namespace WebhookProcessor.IntegrationTests.Contracts;

/// <summary>What every <see cref="ITemplateStore"/> does, through the interfaces only; one subclass per implementation.</summary>
public abstract class TemplateStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Received = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private StoreSet _stores = null!;

    private ITemplateStore Store => _stores.Templates;

    /// <summary>The default alert switches.</summary>
    private readonly NotificationOptions _alerts = new();

    protected abstract StoreSet CreateStores();

    public Task InitializeAsync()
    {
        _stores = CreateStores();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _stores.DisposeAsync();

    /// <summary>Applies as the processor does: the store commits what <see cref="TemplateDecision"/> decides, with the owners stored now.</summary>
    private async Task<IReadOnlyList<ApplyResult>> ApplyAsync(IReadOnlyList<TemplateEvent> events)
    {
        var owners = await _stores.Notifications.ListOwnersAsync();
        return await Store.ApplyAsync(events, Received, (current, e) => TemplateDecision.Decide(current, e, owners, _alerts));
    }

    [Fact]
    public async Task Apply_SameEventTwiceInOneBatchAndAcrossBatches_IsRecordedOnce()
    {
        var approved = Status("e1", 1, "APPROVED", 100);

        var first = await ApplyAsync([approved, approved]);
        var second = await ApplyAsync([approved]);

        Assert.Equal([false, true], first.Select(r => r.Duplicate).ToArray());
        Assert.True(first[0].CatalogApplied);
        Assert.True(second[0].Duplicate);
        Assert.Single((await Store.QueryEventsAsync(new EventQuery(TemplateId: 1))).Items);
        Assert.Single((await Store.QueryEventsAsync(new EventQuery(WabaId: "w"))).Items);
        Assert.Single((await Store.QueryEventsAsync(new EventQuery())).Items);
    }

    [Fact]
    public async Task Apply_StoresExactlyWhatTheDecisionSays_AndShowsItTheRecordItHolds()
    {
        // A decision no catalog rule would make: the store must keep it as it is, holding no rule of its own.
        var seen = new List<(string EventId, TemplateRecord? Current)>();
        var facts = """{"kind":"template_rejected","eventId":"mine-1","wabaId":"w","templateId":30,"occurredAt":"2026-06-01T12:00:00+00:00"}""";
        var item = new OutboxItem("n-mine-1", "mine-1", "template_rejected", "w", 30, "email", "x@example.com", "o", "Owner", "en", facts, NotificationStatus.Pending, DueAtCommit: true);
        EventDecision Decide(TemplateRecord? current, TemplateEvent e)
        {
            seen.Add((e.EventId, current));
            return e.EventId == "mine-1"
                ? new EventDecision(new TemplateRecord { TemplateId = 30, WabaId = "w", Name = "decided", EditCount = 7, FirstSeenAt = Received, LastEventAt = Received }, Applied: true, [item])
                : new EventDecision(current, Applied: false, []);
        }

        var first = await Store.ApplyAsync([Status("mine-1", 30, "APPROVED", 100)], Received, Decide);
        var second = await Store.ApplyAsync([Status("mine-2", 30, "APPROVED", 200), Status("mine-1", 30, "APPROVED", 100)], Received, Decide);

        Assert.Equal((false, true, 1), (first[0].Duplicate, first[0].CatalogApplied, first[0].Alerts));
        Assert.Equal((false, false, 0), (second[0].Duplicate, second[0].CatalogApplied, second[0].Alerts));
        Assert.True(second[1].Duplicate);
        // The second event saw what the first one stored. (Table Storage decides before its insert finds the
        // duplicate; what it decided for the duplicate is dropped, as the outbox and the record show.)
        Assert.Equal(["mine-1", "mine-2"], seen.Select(s => s.EventId).Distinct());
        Assert.Null(seen[0].Current);
        Assert.Equal(("decided", 7, (string?)null), (seen[1].Current!.Name, seen[1].Current!.EditCount, seen[1].Current!.Status));
        var stored = await Store.GetTemplateAsync(30);
        Assert.Equal(("decided", 7, (string?)null), (stored!.Name, stored.EditCount, stored.Status));
        var history = (await Store.QueryEventsAsync(new EventQuery(TemplateId: 30))).Items;
        Assert.Equal([("mine-2", false), ("mine-1", true)], history.Select(h => (h.Event.EventId, h.CatalogApplied)));
        var written = Assert.Single((await _stores.Notifications.QueryAsync(new NotificationQuery(TemplateId: 30))).Items);
        Assert.Equal(("n-mine-1", AlertChannel.Email, "x@example.com", "o", "Owner", "en", NotificationStatus.Pending, "mine-1"),
            (written.Id, written.Channel, written.Recipient, written.OwnerId, written.OwnerName, written.Language, written.Status, written.Facts.EventId));
        Assert.Equal(Received, written.NextAttemptAt);
    }

    [Fact]
    public async Task Apply_OutboxItemWithTraceParent_KeepsItForTheDispatcher()
    {
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var facts = """{"kind":"template_rejected","eventId":"traced-1","wabaId":"w","templateId":31,"occurredAt":"2026-06-01T12:00:00+00:00"}""";
        var item = new OutboxItem("n-traced-1", "traced-1", "template_rejected", "w", 31, "email", "x@example.com", "o", "Owner", "en", facts, NotificationStatus.Pending, DueAtCommit: true, traceParent);

        await Store.ApplyAsync([Status("traced-1", 31, "REJECTED", 100)], Received,
            (current, e) => new EventDecision(new TemplateRecord { TemplateId = 31, WabaId = "w", FirstSeenAt = Received, LastEventAt = Received }, Applied: true, [item]));

        var due = Assert.Single(await _stores.Notifications.TakeDueAsync(AlertChannel.Email, Received, TimeSpan.FromMinutes(5), 10));
        Assert.Equal(("n-traced-1", traceParent), (due.Id, due.TraceParent));
    }

    [Fact]
    public async Task ListAccounts_TemplatesOfSeveralAccounts_EachAccountOnceInOrdinalOrder()
    {
        Assert.Empty(await Store.ListAccountsAsync());
        await ApplyAsync(
        [
            Status("l1", 41, "APPROVED", 100) with { WabaId = "w-b" },
            Status("l2", 42, "APPROVED", 100) with { WabaId = "w-b" },
            Status("l3", 43, "APPROVED", 100) with { WabaId = "W/c" },
            Status("l4", 44, "APPROVED", 100) with { WabaId = "w-a" },
            Status("l5", 45, "PAUSED", 100) with { WabaId = "10" },
            Status("l6", 46, "APPROVED", 100) with { WabaId = "9" },
        ]);

        Assert.Equal(["10", "9", "W/c", "w-a", "w-b"], await Store.ListAccountsAsync());
    }

    [Fact]
    public async Task Apply_OlderEventAfterNewer_IsKeptInHistoryButDoesNotRollBack()
    {
        await ApplyAsync([Status("new", 2, "PAUSED", 200)]);
        var results = await ApplyAsync([Status("old", 2, "APPROVED", 100)]);

        Assert.False(results[0].CatalogApplied);
        Assert.Equal("PAUSED", (await Store.GetTemplateAsync(2))!.Status);
        var history = (await Store.QueryEventsAsync(new EventQuery(TemplateId: 2))).Items;
        Assert.Equal(["new", "old"], history.Select(h => h.Event.EventId));
        Assert.False(history[1].CatalogApplied);
        Assert.True(history[0].CatalogApplied);
    }

    [Fact]
    public async Task Apply_CategoryNoticeThenCompletion_SetsAndClearsThePendingChange()
    {
        var notice = Event("n", 3, EventKind.CategoryChangePending, 100) with
        {
            Field = MetaFields.CategoryUpdate, Category = "UTILITY", NewCategory = "MARKETING", EffectiveAt = DateTimeOffset.FromUnixTimeSeconds(5000),
        };
        await ApplyAsync([notice]);

        var pending = (await Store.GetTemplateAsync(3))!;
        Assert.Equal(new PendingCategoryChange("UTILITY", "MARKETING", DateTimeOffset.FromUnixTimeSeconds(5000), DateTimeOffset.FromUnixTimeSeconds(100)), pending.PendingCategoryChange);
        Assert.Equal([3L], (await Store.QueryTemplatesAsync(new TemplateQuery(PendingChange: true))).Items.Select(t => t.TemplateId));

        var done = Event("d", 3, EventKind.CategoryChanged, 200) with { Field = MetaFields.CategoryUpdate, PreviousCategory = "UTILITY", NewCategory = "MARKETING" };
        await ApplyAsync([done]);

        var changed = (await Store.GetTemplateAsync(3))!;
        Assert.Null(changed.PendingCategoryChange);
        Assert.Equal("MARKETING", changed.Category);
        Assert.Empty((await Store.QueryTemplatesAsync(new TemplateQuery(PendingChange: true))).Items);
        Assert.Single((await Store.QueryTemplatesAsync(new TemplateQuery(PendingChange: false))).Items);
    }

    [Fact]
    public async Task Catalog_WrittenTemplate_RoundTripsEveryField()
    {
        var notice = new TemplateEvent
        {
            EventId = "n", WabaId = "w", Field = MetaFields.CategoryUpdate, Kind = EventKind.CategoryChangePending,
            TemplateId = long.MaxValue, TemplateName = "pago", Language = "es_MX", Category = "UTILITY", NewCategory = "MARKETING",
            CorrectCategory = "MARKETING", EffectiveAt = DateTimeOffset.FromUnixTimeSeconds(5000),
            OccurredAt = DateTimeOffset.FromUnixTimeSeconds(1000), ReceivedAt = Received, Raw = """{"value":"ñ"}""",
        };
        await ApplyAsync([notice, Status("r", long.MaxValue, "REJECTED", 1001) with { Reason = "INVALID_FORMAT", RejectionReason = "why", RejectionRecommendation = "fix" }]);

        var template = (await Store.GetTemplateAsync(long.MaxValue))!;
        Assert.Equal(long.MaxValue, template.TemplateId);
        Assert.Equal(new PendingCategoryChange("UTILITY", "MARKETING", DateTimeOffset.FromUnixTimeSeconds(5000), DateTimeOffset.FromUnixTimeSeconds(1000)), template.PendingCategoryChange);
        Assert.Equal(("REJECTED", "INVALID_FORMAT", "why", "fix"), (template.Status, template.LastReason, template.RejectionReason, template.RejectionRecommendation));
        Assert.Equal(("pago", "es_MX", "w"), (template.Name, template.Language, template.WabaId));
        Assert.Equal(Received, template.FirstSeenAt);

        var stored = (await Store.QueryEventsAsync(new EventQuery(TemplateId: long.MaxValue))).Items.Single(e => e.Event.EventId == "n");
        // Listings leave the raw change out; it is read on its own.
        Assert.Equal(notice with { Raw = string.Empty }, stored.Event);
        Assert.Equal(notice.Raw, await Store.GetEventRawAsync("n"));
        Assert.Equal(Received, stored.ProcessedAt);
    }

    [Fact]
    public async Task QueryEvents_LargeRawChange_IsListedWithoutItButWithItsSize()
    {
        var raw = "{\"value\":\"" + new string('ñ', 300_000) + "\"}";
        await ApplyAsync([Status("sized", 5, "APPROVED", 100) with { Raw = raw }]);

        var listed = Assert.Single((await Store.QueryEventsAsync(new EventQuery(TemplateId: 5))).Items);

        Assert.Equal(string.Empty, listed.Event.Raw);
        Assert.Equal(Encoding.UTF8.GetByteCount(raw), listed.RawBytes);
        Assert.Equal("sized", listed.Event.EventId);
        Assert.Equal("APPROVED", listed.Event.Event);
        Assert.Equal(raw, await Store.GetEventRawAsync("sized"));
    }

    [Fact]
    public async Task QueryEvents_ReconciliationAndWebhookEvents_ReadBackWithTheirSource()
    {
        await ApplyAsync([Status("hook", 6, "APPROVED", 100), Status("found", 6, "PAUSED", 200) with { Source = EventSource.Reconciliation }]);

        // Both listings: every event, and one template's timeline (an index of its own on Table Storage).
        foreach (var query in new[] { new EventQuery(), new EventQuery(TemplateId: 6) })
        {
            var listed = (await Store.QueryEventsAsync(query)).Items;
            Assert.Equal(
                [("found", EventSource.Reconciliation), ("hook", EventSource.Webhook)],
                listed.Select(s => (s.Event.EventId, s.Event.Source)).ToArray());
        }
    }

    [Fact]
    public async Task GetEventRaw_UnknownEvent_ReturnsNull()
    {
        await ApplyAsync([Status("known", 6, "APPROVED", 100)]);

        Assert.Null(await Store.GetEventRawAsync("unknown"));
        Assert.Equal("{}", await Store.GetEventRawAsync("known"));
    }

    [Fact]
    public async Task Apply_LargeRawChange_IsStoredWhole()
    {
        var raw = "{\"value\":\"" + string.Concat(Enumerable.Range(0, 50_000).Select(i => $"{i:D6}ñ😀;")) + "\"}";
        Assert.True(raw.Length > 500_000);

        await ApplyAsync([Status("big", 4, "APPROVED", 100) with { Raw = raw }]);

        Assert.Equal(raw, await Store.GetEventRawAsync("big"));
    }

    [Fact]
    public async Task QueryEvents_AcrossPages_ReturnsEveryMatchOnceNewestFirst()
    {
        var events = Enumerable.Range(0, 23).Select(i => Status($"p{i:D2}", 10 + (i % 3), i % 2 == 0 ? "PAUSED" : "APPROVED", 1000 + i) with { WabaId = i % 4 == 0 ? "other" : "w" }).ToList();
        await ApplyAsync(events);

        await AssertPagesAsync(new EventQuery(Limit: 5), events);
        await AssertPagesAsync(new EventQuery(WabaId: "w", Limit: 4), events.Where(e => e.WabaId == "w"));
        await AssertPagesAsync(new EventQuery(TemplateId: 11, Limit: 2), events.Where(e => e.TemplateId == 11));
        await AssertPagesAsync(new EventQuery(Event: "PAUSED", Kind: EventKind.Status, Field: MetaFields.StatusUpdate, Limit: 3), events.Where(e => e.Event == "PAUSED"));
        await AssertPagesAsync(
            new EventQuery(From: DateTimeOffset.FromUnixTimeSeconds(1005), To: DateTimeOffset.FromUnixTimeSeconds(1010), Limit: 2),
            events.Where(e => e.OccurredAt >= DateTimeOffset.FromUnixTimeSeconds(1005) && e.OccurredAt < DateTimeOffset.FromUnixTimeSeconds(1010)));
    }

    [Fact]
    public async Task CountEventsByDay_EventsAroundDayAndRangeEdges_CountsEachUtcDayAndKindInRange()
    {
        var day = new DateTimeOffset(2026, 5, 10, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        await ApplyAsync([
            Status("before", 60, "APPROVED", day - 1),
            Status("first", 60, "APPROVED", day),
            Status("late", 61, "REJECTED", day + 86399),
            Event("notice", 62, EventKind.CategoryChangePending, day + 3600) with { Field = MetaFields.CategoryUpdate, NewCategory = "MARKETING" },
            Status("next", 60, "PAUSED", day + 86400),
            Event("edit", 63, EventKind.Components, day + 86400 + 5) with { Field = MetaFields.ComponentsUpdate },
            Status("at-end", 60, "APPROVED", day + (3 * 86400)),
        ]);

        var counts = await Store.CountEventsByDayAsync(DateTimeOffset.FromUnixTimeSeconds(day), DateTimeOffset.FromUnixTimeSeconds(day + (3 * 86400)));

        Assert.Equal(
            [
                new DailyEventCount(new DateOnly(2026, 5, 10), "category-change-pending", 1),
                new DailyEventCount(new DateOnly(2026, 5, 10), "status", 2),
                new DailyEventCount(new DateOnly(2026, 5, 11), "components", 1),
                new DailyEventCount(new DateOnly(2026, 5, 11), "status", 1),
            ],
            counts);
        Assert.Empty(await Store.CountEventsByDayAsync(DateTimeOffset.FromUnixTimeSeconds(day + (4 * 86400)), DateTimeOffset.FromUnixTimeSeconds(day + (9 * 86400))));
    }

    [Fact]
    public async Task QueryTemplates_WithFilters_PagesInTemplateOrder()
    {
        var events = Enumerable.Range(1, 9).Select(i => Status($"t{i}", i * 10, i % 3 == 0 ? "REJECTED" : "APPROVED", 100) with { WabaId = i <= 5 ? "a" : "b" }).ToList();
        await ApplyAsync(events);

        var all = await AllTemplatesAsync(new TemplateQuery(Limit: 4));
        Assert.Equal(Enumerable.Range(1, 9).Select(i => i * 10L), all);
        Assert.Equal([60L, 70, 80, 90], await AllTemplatesAsync(new TemplateQuery(WabaId: "b", Limit: 3)));
        Assert.Equal([30L, 60, 90], await AllTemplatesAsync(new TemplateQuery(Status: "REJECTED", Limit: 1)));
        Assert.Equal([30L], await AllTemplatesAsync(new TemplateQuery(WabaId: "a", Status: "REJECTED")));
    }

    [Fact]
    public async Task QueryTemplates_NameContains_MatchesAnyCaseAndPagesWithoutLosingRows()
    {
        // Every third template matches, so a page of 2 must skip rows the Table store filters in memory.
        var events = Enumerable.Range(1, 9)
            .Select(i => Status($"n{i}", i, "APPROVED", 100) with { TemplateName = i % 3 == 0 ? $"Order_Update_{i}" : $"welcome_{i}" })
            .ToList();
        await ApplyAsync(events);

        Assert.Equal([3L, 6, 9], await AllTemplatesAsync(new TemplateQuery(NameContains: "ORDER_up", Limit: 2)));
        Assert.Equal([3L, 6, 9], await AllTemplatesAsync(new TemplateQuery(NameContains: "r_u", Limit: 1)));
        Assert.Equal([6L], await AllTemplatesAsync(new TemplateQuery(NameContains: "update_6")));
        Assert.Empty(await AllTemplatesAsync(new TemplateQuery(NameContains: "%")));
        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), await AllTemplatesAsync(new TemplateQuery(NameContains: "_", Limit: 4)));
    }

    [Fact]
    public async Task QueryTemplates_Quality_MatchesOnlyThatScore()
    {
        await ApplyAsync([
            Status("q1", 71, "APPROVED", 100),
            Event("q2", 72, EventKind.Quality, 100) with { NewQualityScore = "RED", TemplateName = "red_one" },
            Event("q3", 73, EventKind.Quality, 100) with { NewQualityScore = "GREEN" },
            Event("q4", 74, EventKind.Quality, 100) with { NewQualityScore = "RED" },
        ]);

        Assert.Equal([72L, 74], await AllTemplatesAsync(new TemplateQuery(Quality: "RED", Limit: 1)));
        Assert.Equal([73L], await AllTemplatesAsync(new TemplateQuery(Quality: "GREEN")));
        Assert.Equal([72L], await AllTemplatesAsync(new TemplateQuery(Quality: "RED", NameContains: "red")));
    }

    [Fact]
    public async Task Apply_EventWithAnOwner_WritesItsAlertsWithItAndADuplicateWritesNone()
    {
        await _stores.Notifications.UpsertOwnerAsync(new Owner { Id = "o", DisplayName = "Owner", Emails = ["a@example.com", "b@example.com"] }, Received);
        var rejected = Status("rej", 20, "REJECTED", 100);

        var first = await ApplyAsync([rejected]);
        var again = await ApplyAsync([rejected]);

        Assert.Equal(2, first[0].Alerts);
        Assert.Equal(0, again[0].Alerts);
        var alerts = (await _stores.Notifications.QueryAsync(new NotificationQuery(TemplateId: 20))).Items;
        Assert.Equal(["a@example.com", "b@example.com"], alerts.Select(a => a.Recipient).Order());
        Assert.All(alerts, a => Assert.Equal(("rej", NotificationStatus.Pending), (a.Facts.EventId, a.Status)));
        Assert.Equal(2, (await _stores.Notifications.TakeDueAsync(AlertChannel.Email, Received, TimeSpan.FromMinutes(1), 10)).Count);
    }

    [Fact]
    public async Task Apply_EventWithoutOwners_WritesOneUnroutedAlert()
    {
        var first = await ApplyAsync([Status("lonely", 21, "PAUSED", 100)]);

        Assert.Equal(1, first[0].Alerts);
        var alert = Assert.Single((await _stores.Notifications.QueryAsync(new NotificationQuery(TemplateId: 21))).Items);
        Assert.Equal(NotificationStatus.Unrouted, alert.Status);
        Assert.Equal(1, (await _stores.Notifications.GetStatsAsync()).Unrouted);
    }

    [Fact]
    public async Task Apply_ConcurrentEventsForTheSameTemplate_LoseNoUpdate()
    {
        // Every edit counts, whatever the order: a lost update shows as a smaller count.
        var edits = Enumerable.Range(0, 16).Select(i => Event($"edit{i}", 30, EventKind.Components, 100 + i) with { Field = MetaFields.ComponentsUpdate }).ToList();

        await Task.WhenAll(
            Task.Run(async () => { foreach (var e in edits.Where((_, i) => i % 2 == 0)) { await ApplyAsync([e]); } }),
            Task.Run(async () => { foreach (var e in edits.Where((_, i) => i % 2 == 1)) { await ApplyAsync([e]); } }));

        var template = (await Store.GetTemplateAsync(30))!;
        Assert.Equal(16, template.EditCount);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(115), template.LastEditedAt);
        Assert.Equal(16, (await Store.QueryEventsAsync(new EventQuery(TemplateId: 30, Limit: 100))).Items.Count);
    }

    [Fact]
    public async Task PruneHistory_OlderAndNewerEvents_RemovesOnlyOlderAndKeepsTheCatalog()
    {
        await ApplyAsync([Status("old", 40, "APPROVED", 100) with { ReceivedAt = Received.AddDays(-40) }]);
        await ApplyAsync([Status("recent", 41, "APPROVED", 100)]);

        Assert.Equal(1, await Store.PruneHistoryAsync(Received.AddDays(-30)));

        Assert.Empty((await Store.QueryEventsAsync(new EventQuery(TemplateId: 40))).Items);
        Assert.Single((await Store.QueryEventsAsync(new EventQuery(TemplateId: 41))).Items);
        Assert.Single((await Store.QueryEventsAsync(new EventQuery())).Items);
        Assert.NotNull(await Store.GetTemplateAsync(40));
    }

    [Fact]
    public async Task Queries_WithAForeignCursor_FailWithFormatException()
    {
        await Assert.ThrowsAsync<FormatException>(() => Store.QueryEventsAsync(new EventQuery(Cursor: "not a cursor!")));
        await Assert.ThrowsAsync<FormatException>(() => Store.QueryTemplatesAsync(new TemplateQuery(Cursor: "not a cursor!")));
    }

    private async Task AssertPagesAsync(EventQuery query, IEnumerable<TemplateEvent> expected)
    {
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Store.QueryEventsAsync(query with { Cursor = cursor });
            Assert.True(page.Items.Count <= query.Limit);
            seen.AddRange(page.Items.Select(i => i.Event.EventId));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(expected.OrderByDescending(e => e.OccurredAt).Select(e => e.EventId), seen);
    }

    private async Task<List<long>> AllTemplatesAsync(TemplateQuery query)
    {
        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await Store.QueryTemplatesAsync(query with { Cursor = cursor });
            seen.AddRange(page.Items.Select(t => t.TemplateId));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return seen;
    }

    [Fact]
    public async Task ListAccounts_TemplatesOfSeveralAccounts_EachAccountOnceInOrder()
    {
        Assert.Empty(await Store.ListAccountsAsync());

        await ApplyAsync([
            Status("a1", 41, "APPROVED", 100) with { WabaId = "300" },
            Status("a2", 42, "APPROVED", 100) with { WabaId = "100" },
            Status("a3", 43, "APPROVED", 100) with { WabaId = "300" },
            Status("a4", 44, "APPROVED", 100) with { WabaId = "2000" },
        ]);

        Assert.Equal(["100", "2000", "300"], await Store.ListAccountsAsync());
    }

    private static TemplateEvent Status(string id, long templateId, string statusEvent, long time) =>
        Event(id, templateId, EventKind.Status, time) with { Event = statusEvent };

    private static TemplateEvent Event(string id, long templateId, EventKind kind, long time) => new()
    {
        EventId = id,
        WabaId = "w",
        Field = MetaFields.StatusUpdate,
        Kind = kind,
        TemplateId = templateId,
        OccurredAt = DateTimeOffset.FromUnixTimeSeconds(time),
        ReceivedAt = Received,
        Raw = "{}",
    };
}
