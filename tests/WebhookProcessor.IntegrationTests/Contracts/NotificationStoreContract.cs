using System.Text;
using WebhookProcessor.Notifications;
using WebhookProcessor.Queue;

namespace WebhookProcessor.IntegrationTests.Contracts;

/// <summary>What every <see cref="INotificationStore"/> (and the dead-letter side of <see cref="IQueueMonitor"/>) does; one subclass per implementation.</summary>
public abstract class NotificationStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private StoreSet _stores = null!;

    private INotificationStore Store => _stores.Notifications;

    protected abstract StoreSet CreateStores();

    public Task InitializeAsync()
    {
        _stores = CreateStores();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _stores.DisposeAsync();

    [Fact]
    public async Task Add_SameAlertTwice_IsOneItem()
    {
        Assert.Equal(1, await Store.AddAsync([Alert("a@example.com")], T0));
        Assert.Equal(0, await Store.AddAsync([Alert("a@example.com")], T0.AddMinutes(1)));

        Assert.Single((await Store.QueryAsync(new NotificationQuery(TemplateId: 42))).Items);
        Assert.Single(await Store.TakeDueAsync(AlertChannel.Email, T0.AddMinutes(1), TimeSpan.FromMinutes(5), 10));
    }

    [Fact]
    public async Task TakeDue_ClaimedAlert_IsHiddenUntilItsClaimRunsOut()
    {
        await Store.AddAsync([Alert("a@example.com")], T0);

        Assert.Single(await Store.TakeDueAsync(AlertChannel.Email, T0, TimeSpan.FromMinutes(5), 10));
        Assert.Empty(await Store.TakeDueAsync(AlertChannel.Email, T0.AddMinutes(4), TimeSpan.FromMinutes(5), 10));
        Assert.Empty(await Store.TakeDueAsync(AlertChannel.Teams, T0.AddMinutes(10), TimeSpan.FromMinutes(5), 10));

        var again = Assert.Single(await Store.TakeDueAsync(AlertChannel.Email, T0.AddMinutes(6), TimeSpan.FromMinutes(5), 10));
        Assert.Equal((0, NotificationStatus.Sending), (again.Attempts, again.Status));
    }

    [Fact]
    public async Task TakeDue_TwoTakersAtOnce_NeverClaimTheSameAlert()
    {
        await Store.AddAsync(Enumerable.Range(0, 12).Select(i => Alert($"r{i}@example.com")).ToList(), T0);

        var takers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => Store.TakeDueAsync(AlertChannel.Email, T0, TimeSpan.FromMinutes(5), 12))));

        var claimed = takers.SelectMany(t => t).Select(n => n.Id).ToList();
        Assert.Equal(12, claimed.Count);
        Assert.Equal(12, claimed.Distinct().Count());
    }

    [Fact]
    public async Task FailedRounds_RescheduleThenFail_AndAResendStartsOver()
    {
        var alert = Alert("a@example.com");
        await Store.AddAsync([alert], T0);
        await Store.TakeDueAsync(AlertChannel.Email, T0, TimeSpan.FromMinutes(5), 10);
        await Store.MarkFailedAttemptAsync(alert.NotificationId, 1, "421 try later", T0.AddMinutes(1), T0);

        Assert.Empty(await Store.TakeDueAsync(AlertChannel.Email, T0.AddSeconds(30), TimeSpan.FromMinutes(5), 10));
        Assert.Single(await Store.TakeDueAsync(AlertChannel.Email, T0.AddMinutes(1), TimeSpan.FromMinutes(5), 10));
        await Store.MarkFailedAttemptAsync(alert.NotificationId, 2, "550 no such user", null, T0.AddMinutes(1));

        var failed = (await Store.GetAsync(alert.NotificationId))!;
        Assert.Equal((NotificationStatus.Failed, 2, "550 no such user"), (failed.Status, failed.Attempts, failed.LastError));
        Assert.Equal(new NotificationStats(0, 1, 0), await Store.GetStatsAsync());
        Assert.Equal([alert.NotificationId], (await Store.QueryAsync(new NotificationQuery(Status: NotificationStatus.Failed))).Items.Select(n => n.Id));

        Assert.True(await Store.ResendAsync(alert.NotificationId, T0.AddHours(1)));
        Assert.False(await Store.ResendAsync(alert.NotificationId, T0.AddHours(1)));
        var resent = Assert.Single(await Store.TakeDueAsync(AlertChannel.Email, T0.AddHours(1), TimeSpan.FromMinutes(5), 10));
        Assert.Equal(0, resent.Attempts);
        await Store.MarkSentAsync(alert.NotificationId, 1, T0.AddHours(1));

        var sent = (await Store.GetAsync(alert.NotificationId))!;
        Assert.Equal((NotificationStatus.Sent, T0.AddHours(1)), (sent.Status, sent.SentAt));
        Assert.Equal(new NotificationStats(0, 0, 0), await Store.GetStatsAsync());
        Assert.Empty(await Store.TakeDueAsync(AlertChannel.Email, T0.AddDays(1), TimeSpan.FromMinutes(5), 10));
    }

    [Fact]
    public async Task ReleaseClaims_AtStart_MakesSendingAlertsDueAgain()
    {
        await Store.AddAsync([Alert("a@example.com"), Alert("b@example.com")], T0);
        await Store.TakeDueAsync(AlertChannel.Email, T0, TimeSpan.FromHours(1), 1);

        Assert.Equal(1, await Store.ReleaseClaimsAsync(T0.AddSeconds(1)));
        Assert.Equal(2, (await Store.TakeDueAsync(AlertChannel.Email, T0.AddSeconds(1), TimeSpan.FromHours(1), 10)).Count);
    }

    [Fact]
    public async Task Unrouted_AlertWithoutOwner_IsCountedAndCanBeRerouted()
    {
        var facts = Facts("e-unrouted", 7);
        var unrouted = new PlannedAlert(AlertPlanner.NotificationId(facts.EventId, facts.Kind, null, null), facts, null, null, null, null, OwnerLanguages.Spanish);
        await Store.AddAsync([unrouted], T0);

        Assert.Equal(new NotificationStats(0, 0, 1), await Store.GetStatsAsync());
        await Store.MarkReroutedAsync(unrouted.NotificationId, "o", T0.AddMinutes(1));

        var rerouted = (await Store.GetAsync(unrouted.NotificationId))!;
        Assert.Equal((NotificationStatus.Rerouted, "o"), (rerouted.Status, rerouted.OwnerId));
        Assert.Equal(new NotificationStats(0, 0, 0), await Store.GetStatsAsync());
    }

    [Fact]
    public async Task Query_AcrossPages_ReturnsEveryMatchOnceNewestFirst()
    {
        for (var i = 0; i < 7; i++)
        {
            await Store.AddAsync([Alert($"r{i}@example.com", templateId: 100 + (i % 2), eventId: $"e{i}")], T0.AddMinutes(i));
        }

        var all = await AllAsync(new NotificationQuery(Limit: 3));
        Assert.Equal(Enumerable.Range(0, 7).Reverse().Select(i => $"r{i}@example.com"), all.Select(n => n.Recipient));
        Assert.Equal(7, all.Select(n => n.Sequence).Distinct().Count());
        Assert.Equal(["r5@example.com", "r3@example.com", "r1@example.com"], (await AllAsync(new NotificationQuery(TemplateId: 101, Limit: 2))).Select(n => n.Recipient));
        Assert.Equal(7, (await AllAsync(new NotificationQuery(Status: NotificationStatus.Pending, Kind: AlertKinds.TemplateRejected, Channel: "email", Limit: 4))).Count);
        Assert.Empty(await AllAsync(new NotificationQuery(Channel: "teams")));
    }

    [Fact]
    public async Task Owners_CreateReplaceListDelete_RoundTrip()
    {
        var owner = new Owner { Id = "ops/team #1", DisplayName = "Ops", Emails = ["ops@example.com"], Match = new OwnerMatch("123", "pago_*") };

        Assert.True(await Store.UpsertOwnerAsync(owner, T0));
        Assert.False(await Store.UpsertOwnerAsync(owner with { DisplayName = "Ops team" }, T0));
        Assert.True(await Store.UpsertOwnerAsync(new Owner { Id = "another", DisplayName = "A" }, T0));

        Assert.Equal("Ops team", (await Store.GetOwnerAsync("ops/team #1"))!.DisplayName);
        Assert.Equal(new OwnerMatch("123", "pago_*"), (await Store.GetOwnerAsync("ops/team #1"))!.Match);
        Assert.Equal(["another", "ops/team #1"], (await Store.ListOwnersAsync()).Select(o => o.Id));
        Assert.True(await Store.DeleteOwnerAsync("ops/team #1"));
        Assert.False(await Store.DeleteOwnerAsync("ops/team #1"));
        Assert.Null(await Store.GetOwnerAsync("ops/team #1"));
    }

    [Fact]
    public async Task DeadLetters_Listed_AreNewestFirstWithTheirBodies()
    {
        var letters = Enumerable.Range(0, 5).Select(i => new DeadLetter(
            $"m{i}", i % 2 == 0 ? DeadLetterSource.Poison : DeadLetterSource.Intake, $"reason {i}", T0, T0.AddMinutes(i),
            Encoding.UTF8.GetBytes($"{{\"n\":{i},\"text\":\"ñ\"}}"), "waba", "field", i)).ToList();

        await _stores.AddDeadLettersAsync(letters);

        Assert.Equal(5, (await _stores.Monitor.GetStatsAsync()).DeadLetterCount);
        var listed = new List<DeadLetter>();
        string? cursor = null;
        do
        {
            var page = await _stores.Monitor.ListDeadLettersAsync(2, cursor);
            foreach (var summary in page.Items)
            {
                listed.Add((await _stores.Monitor.GetDeadLetterAsync(summary.Id))!.DeadLetter);
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(letters.AsEnumerable().Reverse().Select(l => l.MessageId), listed.Select(l => l.MessageId));
        Assert.Equal(letters[3].Body, listed[1].Body);
        Assert.Equal((letters[3].Source, letters[3].Reason, letters[3].WabaId, letters[3].Field), (listed[1].Source, listed[1].Reason, listed[1].WabaId, listed[1].Field));
    }

    [Fact]
    public async Task ListDeadLetters_GivesEachBodysSizeNotTheBody_AndGetReadsItWhole()
    {
        var small = Encoding.UTF8.GetBytes("{\"small\":\"ñ\"}");
        var large = Encoding.UTF8.GetBytes("[\"" + string.Concat(Enumerable.Range(0, 60_000).Select(i => i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture))) + "\"]");
        await _stores.AddDeadLettersAsync(
        [
            new DeadLetter("s", DeadLetterSource.Intake, "small", T0, T0, small, "waba", "field", 1),
            new DeadLetter("l", DeadLetterSource.Poison, "large", T0, T0.AddMinutes(1), large, "waba", "field", 2),
        ]);

        var listed = (await _stores.Monitor.ListDeadLettersAsync(10, null)).Items;

        Assert.Equal(new string?[] { "l", "s" }, listed.Select(d => d.MessageId));
        Assert.Equal(new long?[] { large.LongLength, small.LongLength }, listed.Select(d => d.BodyBytes));
        Assert.Equal((DeadLetterSource.Poison, "large", "waba", "field", 2), (listed[0].Source, listed[0].Reason, listed[0].WabaId, listed[0].Field, listed[0].DeliveryCount));
        var whole = await _stores.Monitor.GetDeadLetterAsync(listed[0].Id);
        Assert.NotNull(whole);
        Assert.Equal(large, whole.DeadLetter.Body);
        Assert.Equal(listed[0].Id, whole.Id);
    }

    [Fact]
    public async Task GetDeadLetter_UnknownId_ReturnsNull()
    {
        await _stores.AddDeadLettersAsync([new DeadLetter("s", DeadLetterSource.Intake, "r", T0, T0, [1, 2, 3])]);
        var id = Assert.Single((await _stores.Monitor.ListDeadLettersAsync(10, null)).Items).Id;

        Assert.Null(await _stores.Monitor.GetDeadLetterAsync(id + "0"));
        Assert.Null(await _stores.Monitor.GetDeadLetterAsync("-1"));
        Assert.Null(await _stores.Monitor.GetDeadLetterAsync("not-an-id"));
        Assert.Equal([1, 2, 3], (await _stores.Monitor.GetDeadLetterAsync(id))!.DeadLetter.Body);
    }

    [Fact]
    public async Task SaveOwner_SameMatchAsAnotherOwner_IsRefusedAndWritesNothing()
    {
        Assert.True((await Store.SaveOwnerAsync(Person("a", "123", "pago_*"), T0)).Created);

        Assert.Equal("a", (await Store.SaveOwnerAsync(Person("b", "123", "pago_*"), T0)).ClashingOwnerId);
        // Patterns match names case-insensitively, so a pattern differing only in case is the same match.
        Assert.Equal("a", (await Store.SaveOwnerAsync(Person("b", "123", "PAGO_*"), T0)).ClashingOwnerId);
        Assert.Null(await Store.GetOwnerAsync("b"));
        Assert.Equal(new OwnerSaveResult(Created: false), await Store.SaveOwnerAsync(Person("a", "123", "pago_*") with { DisplayName = "A2" }, T0));
        Assert.Equal(new OwnerSaveResult(Created: true), await Store.SaveOwnerAsync(Person("b", "124", "pago_*"), T0));

        // Moving to a taken match is refused and leaves the owner as it was.
        Assert.Equal("a", (await Store.SaveOwnerAsync(Person("b", "123", "pago_*"), T0)).ClashingOwnerId);
        Assert.Equal(new OwnerMatch("124", "pago_*"), (await Store.GetOwnerAsync("b"))!.Match);

        // A match given up, by a move or a delete, is free again.
        Assert.True((await Store.SaveOwnerAsync(Person("a", "999", null), T0)).Saved);
        Assert.True((await Store.SaveOwnerAsync(Person("b", "123", "pago_*"), T0)).Saved);
        Assert.True(await Store.DeleteOwnerAsync("a"));
        Assert.True((await Store.SaveOwnerAsync(Person("c", "999", null), T0)).Saved);

        // Only one default owner (no match at all).
        Assert.True((await Store.SaveOwnerAsync(Person("d", null, null), T0)).Saved);
        Assert.Equal("d", (await Store.SaveOwnerAsync(Person("e", null, null), T0)).ClashingOwnerId);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.UpsertOwnerAsync(Person("e", null, null), T0));

        Assert.Equal(["b", "c", "d"], (await Store.ListOwnersAsync()).Select(o => o.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListOwnersPage_PagesEveryOwnerOnceInIdOrder_AndNothingElse()
    {
        // Ids that need escaping in Table Storage keys, sort around '~', or are not ASCII.
        string[] ids = ["a/b", "zz", "~tilde", "éclair", "m#1", "b", "~~x", "k"];
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.True((await Store.SaveOwnerAsync(Person(ids[i], "55" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), null), T0)).Created);
        }

        var paged = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Store.ListOwnersPageAsync(3, cursor);
            Assert.True(page.Items.Count <= 3);
            paged.AddRange(page.Items.Select(o => o.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 20);

        var all = (await Store.ListOwnersAsync()).Select(o => o.Id).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Order(StringComparer.Ordinal), paged.Order(StringComparer.Ordinal));
        Assert.Equal(paged.Count, paged.Distinct(StringComparer.Ordinal).Count());
        await Assert.ThrowsAsync<FormatException>(() => Store.ListOwnersPageAsync(3, "not a cursor!"));
    }

    [Fact]
    public async Task SaveOwner_ManyOwners_EachSaveStillFindsTheClash()
    {
        const int Count = 300;
        for (var i = 0; i < Count; i++)
        {
            Assert.True((await Store.SaveOwnerAsync(Person($"o{i:D4}", (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), "t_*"), T0)).Saved);
        }

        Assert.Equal("o0150", (await Store.SaveOwnerAsync(Person("late", "1150", "T_*"), T0)).ClashingOwnerId);
        Assert.Equal(Count, (await Store.ListOwnersAsync()).Count);
    }

    private async Task<List<Notification>> AllAsync(NotificationQuery query)
    {
        var seen = new List<Notification>();
        string? cursor = null;
        do
        {
            var page = await Store.QueryAsync(query with { Cursor = cursor });
            Assert.True(page.Items.Count <= query.Limit);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return seen;
    }

    private static AlertFacts Facts(string eventId, long templateId) =>
        new() { Kind = AlertKinds.TemplateRejected, EventId = eventId, WabaId = "1", TemplateId = templateId, OccurredAt = T0 };

    private static PlannedAlert Alert(string recipient, long templateId = 42, string eventId = "e1") =>
        AlertPlanner.ForOwner(Facts(eventId, templateId), new Owner { Id = "o", DisplayName = "O", Emails = [recipient] })[0];

    private static Owner Person(string id, string? wabaId, string? pattern) =>
        new() { Id = id, DisplayName = id.ToUpperInvariant(), Emails = ["x@example.com"], Match = new OwnerMatch(wabaId, pattern) };
}
