using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebhookProcessor.Catalog;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Meta;
using WebhookProcessor.Notifications;
using WebhookProcessor.Processing;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.IntegrationTests.Contracts;

/// <summary>
/// Reconciliation end to end below the HTTP surface: the real <see cref="AccountReconciler"/> with a real
/// <see cref="GraphApiClient"/> against <see cref="FakeGraphApi"/> on loopback, committing into one store
/// implementation (one subclass per store). Webhooks are applied as the processor applies them, through
/// <see cref="TemplateDecision"/>, and alerts are read from the store's outbox.
/// </summary>
public abstract class ReconciliationContract : IAsyncLifetime
{
    private const string Waba = "4400000001";
    private const string Token = "EAAGcontract-token-0123456789";
    private const string OwnerEmail = "owner@example.com";

    private readonly FakeGraphApi _api = new();
    private readonly CapturedLogs _logs = new();
    private readonly List<ServiceProvider> _providers = [];
    private readonly NotificationOptions _alerts = new();
    // Whole seconds: the stores keep milliseconds, and the tests compare times they wrote with times they read.
    private readonly DateTimeOffset _start = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());
    private StoreSet _stores = null!;
    private int _runs;

    private ITemplateStore Store => _stores.Templates;

    protected abstract StoreSet CreateStores();

    public async Task InitializeAsync()
    {
        _stores = CreateStores();
        await _api.InitializeAsync();
        // A default owner (matches nothing in particular): every template's alerts go to this address.
        await _stores.Notifications.SaveOwnerAsync(new Owner { Id = "owner", DisplayName = "Owner", Emails = [OwnerEmail] }, _start);
    }

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await _api.DisposeAsync();
        await _stores.DisposeAsync();
    }

    // ----- Rule 1: templates the catalog does not know -----

    [Fact]
    public async Task Reconcile_Bootstrap_AddsEveryTemplateAndAlertsOnlyAboutTheUpcomingChange()
    {
        var rejected = FakeGraphApi.Template(2, "rejected_one", status: "REJECTED");
        rejected["rejected_reason"] = "INVALID_FORMAT";
        _api.ServePages(Waba,
            [FakeGraphApi.Template(1, "approved_one"), rejected],
            [FakeGraphApi.Template(3, "moving_one", category: "UTILITY", correctCategory: "MARKETING")]);

        var result = await ReconcileAsync(bootstrap: true);

        Assert.Equal((AccountRunStatus.Succeeded, 3, 3, 0, 1, 0), (result.Status, result.TemplatesSeen, result.Added, result.Changed, result.PendingChangesFound, result.Deleted));
        Assert.True(result.Bootstrap);
        Assert.Equal(("APPROVED", "UTILITY", "GREEN"), Shown(await Store.GetTemplateAsync(1)));
        Assert.Equal(("REJECTED", "UTILITY", "GREEN"), Shown(await Store.GetTemplateAsync(2)));
        var moving = (await Store.GetTemplateAsync(3))!;
        Assert.Equal(("UTILITY", "MARKETING", (DateTimeOffset?)null), (moving.PendingCategoryChange!.From, moving.PendingCategoryChange.To, moving.PendingCategoryChange.EffectiveAt));
        Assert.Equal("moving_one", moving.Name);
        var alert = Assert.Single(await AlertsAsync());
        Assert.Equal((AlertKinds.CategoryChangeUpcoming, 3L, "MARKETING", (DateTimeOffset?)null), (alert.Facts.Kind, alert.Facts.TemplateId, alert.Facts.NewCategory, alert.Facts.EffectiveAt));
        Assert.All(await EventsAsync(), e => Assert.Equal(EventSource.Reconciliation, e.Event.Source));
    }

    [Fact]
    public async Task Reconcile_UnknownRejectedTemplateAfterBootstrap_AlertsTheRejectionAsTheWebhookWould()
    {
        var rejected = FakeGraphApi.Template(5, "missed_one", status: "REJECTED");
        rejected["rejected_reason"] = "INVALID_FORMAT";
        _api.ServePages(Waba, [rejected, FakeGraphApi.Template(6, "fine_one")]);

        var result = await ReconcileAsync(bootstrap: false);

        Assert.Equal((2, 0), (result.Added, result.Changed));
        var alert = Assert.Single(await AlertsAsync());
        Assert.Equal((AlertKinds.TemplateRejected, 5L, "REJECTED", "INVALID_FORMAT", OwnerEmail), (alert.Facts.Kind, alert.Facts.TemplateId, alert.Facts.StatusEvent, alert.Facts.Reason, alert.Recipient));
        Assert.StartsWith("rc-", alert.Facts.EventId, StringComparison.Ordinal);
        Assert.Equal("REJECTED", (await Store.GetTemplateAsync(5))!.Status);
    }

    // ----- Rule 2: the guide's comparison -----

    [Fact]
    public async Task Reconcile_CategoryEqualsCorrectCategoryWhileTheCatalogShowsTheOld_AppliesTheCompletedChangeAndAlerts()
    {
        await WebhookAsync(Approved("w-1", 10, "MARKETING", _start.AddDays(-2)));
        _api.ServePages(Waba, [FakeGraphApi.Template(10, category: "UTILITY", correctCategory: "UTILITY")]);

        var result = await ReconcileAsync(bootstrap: false);

        Assert.Equal((0, 1, 0), (result.Added, result.Changed, result.PendingChangesFound));
        var record = (await Store.GetTemplateAsync(10))!;
        Assert.Equal(("UTILITY", (PendingCategoryChange?)null), (record.Category, record.PendingCategoryChange));
        var alert = Assert.Single(await AlertsAsync());
        Assert.Equal((AlertKinds.CategoryChanged, "MARKETING", "UTILITY"), (alert.Facts.Kind, alert.Facts.PreviousCategory, alert.Facts.NewCategory));
        var changed = Assert.Single(await EventsAsync(10), e => e.Event.Kind == EventKind.CategoryChanged);
        Assert.Equal(EventSource.Reconciliation, changed.Event.Source);
        Assert.Equal(("MARKETING", "UTILITY"), await BeforeAfterAsync(changed.Event, "category"));
    }

    [Fact]
    public async Task Reconcile_CorrectCategoryDiffers_RecordsAPendingChangeWithAnUnknownDateAndAlerts()
    {
        await WebhookAsync(Approved("w-1", 11, "UTILITY", _start.AddDays(-2)));
        _api.ServePages(Waba, [FakeGraphApi.Template(11, category: "UTILITY", correctCategory: "MARKETING")]);

        var result = await ReconcileAsync(bootstrap: false);

        Assert.Equal((1, 1), (result.PendingChangesFound, result.Changed));
        var pending = (await Store.GetTemplateAsync(11))!.PendingCategoryChange!;
        Assert.Equal(("UTILITY", "MARKETING", (DateTimeOffset?)null), (pending.From, pending.To, pending.EffectiveAt));
        var alert = Assert.Single(await AlertsAsync());
        Assert.Equal((AlertKinds.CategoryChangeUpcoming, "MARKETING", (DateTimeOffset?)null, false), (alert.Facts.Kind, alert.Facts.NewCategory, alert.Facts.EffectiveAt, alert.Facts.EffectiveAtEstimated));
    }

    [Fact]
    public async Task Reconcile_PendingChangeAWebhookAnnouncedWithATime_KeepsTheTimeAndAlertsNobody()
    {
        var effective = _start.AddDays(3);
        await WebhookAsync(Approved("w-1", 12, "UTILITY", _start.AddDays(-2)));
        await WebhookAsync(Notice("w-2", 12, "UTILITY", "MARKETING", effective, _start.AddDays(-1)));
        var alertsBefore = await AlertsAsync();
        _api.ServePages(Waba, [FakeGraphApi.Template(12, category: "UTILITY", correctCategory: "MARKETING")]);

        var result = await ReconcileAsync(bootstrap: false);

        Assert.Equal((0, 0), (result.PendingChangesFound, result.Changed));
        var pending = (await Store.GetTemplateAsync(12))!.PendingCategoryChange!;
        Assert.Equal(("MARKETING", (DateTimeOffset?)effective), (pending.To, pending.EffectiveAt));
        Assert.Single(alertsBefore);
        Assert.Equal(Ids(alertsBefore), Ids(await AlertsAsync()));
        Assert.DoesNotContain(await EventsAsync(12), e => e.Event.Source == EventSource.Reconciliation && e.Event.Kind != EventKind.Discovered);
    }

    [Fact]
    public async Task Reconcile_NothingPendingAtMetaAndTheChangesTimeHasPassed_ClearsItAndRecordsWhyWithoutAlert()
    {
        await WebhookAsync(Approved("w-1", 13, "UTILITY", _start.AddDays(-3)));
        await WebhookAsync(Notice("w-2", 13, "UTILITY", "MARKETING", _start.AddHours(-2), _start.AddDays(-2)));
        var alertsBefore = await AlertsAsync();
        _api.ServePages(Waba, [FakeGraphApi.Template(13, category: "UTILITY", correctCategory: "")]);

        var result = await ReconcileAsync(bootstrap: false);

        Assert.Equal(1, result.Changed);
        var record = (await Store.GetTemplateAsync(13))!;
        Assert.Equal(("UTILITY", (PendingCategoryChange?)null), (record.Category, record.PendingCategoryChange));
        var cleared = Assert.Single(await EventsAsync(13), e => e.Event.Kind == EventKind.PendingChangeCleared);
        Assert.True(cleared.CatalogApplied);
        Assert.Equal(EventSource.Reconciliation, cleared.Event.Source);
        Assert.Equal(("MARKETING", null), await BeforeAfterAsync(cleared.Event, "pendingTo"));
        Assert.Equal(Ids(alertsBefore), Ids(await AlertsAsync()));
    }

    [Fact]
    public async Task Reconcile_NothingPendingAtMetaButTheChangesTimeIsToCome_KeepsIt()
    {
        var effective = _start.AddDays(2);
        await WebhookAsync(Approved("w-1", 14, "UTILITY", _start.AddDays(-3)));
        await WebhookAsync(Notice("w-2", 14, "UTILITY", "MARKETING", effective, _start.AddDays(-1)));
        _api.ServePages(Waba, [FakeGraphApi.Template(14, category: "UTILITY", correctCategory: null)]);

        var result = await ReconcileAsync(bootstrap: false);

        Assert.Equal(0, result.Changed);
        Assert.Equal(effective, (await Store.GetTemplateAsync(14))!.PendingCategoryChange!.EffectiveAt);
    }

    [Fact]
    public async Task Reconcile_KnownTemplateWhoseWebhooksNeverNamedItsCategoryOrQuality_FillsThemInWithoutAlertOrChange()
    {
        // Older status webhooks carry no message_template_category: the catalog knows the template, not its category.
        await WebhookAsync(Status("w-1", 15, "APPROVED", _start.AddDays(-2)));
        _api.ServePages(Waba, [FakeGraphApi.Template(15, category: "MARKETING", correctCategory: "MARKETING", quality: "GREEN")]);

        var result = await ReconcileAsync(bootstrap: false);

        Assert.Equal((0, 0, 0), (result.Added, result.Changed, result.PendingChangesFound));
        Assert.Equal(("APPROVED", "MARKETING", "GREEN"), Shown(await Store.GetTemplateAsync(15)));
        var filled = Assert.Single(await EventsAsync(15), e => e.Event.Source == EventSource.Reconciliation);
        Assert.Equal((EventKind.Discovered, true), (filled.Event.Kind, filled.CatalogApplied));
        Assert.Equal((null, "MARKETING"), await BeforeAfterAsync(filled.Event, "category"));
        Assert.Empty(await AlertsAsync());
        Assert.Equal(0, (await ReconcileAsync(bootstrap: false)).Changed);
        Assert.Single(await EventsAsync(15), e => e.Event.Source == EventSource.Reconciliation);
    }

    // ----- Rule 3: missed status and quality webhooks -----

    [Fact]
    public async Task Reconcile_StatusAndQualityDiffer_RecordsReconciliationEventsWithBeforeAndAfterAndTheWebhooksAlert()
    {
        await WebhookAsync(Approved("w-1", 20, "UTILITY", _start.AddDays(-2)));
        await WebhookAsync(Quality("w-2", 20, "GREEN", _start.AddDays(-2)));
        _api.ServePages(Waba, [FakeGraphApi.Template(20, status: "PAUSED", quality: "YELLOW")]);

        var result = await ReconcileAsync(bootstrap: false);

        Assert.Equal((1, 0), (result.Changed, result.Added));
        Assert.Equal(("PAUSED", "UTILITY", "YELLOW"), Shown(await Store.GetTemplateAsync(20)));
        var events = (await EventsAsync(20)).Where(e => e.Event.Source == EventSource.Reconciliation).ToList();
        var status = Assert.Single(events, e => e.Event.Kind == EventKind.Status);
        Assert.Equal((MetaFields.StatusUpdate, "PAUSED", true), (status.Event.Field, status.Event.Event, status.CatalogApplied));
        Assert.Equal(("APPROVED", "PAUSED"), await BeforeAfterAsync(status.Event, "status"));
        var quality = Assert.Single(events, e => e.Event.Kind == EventKind.Quality);
        Assert.Equal(("GREEN", "YELLOW"), await BeforeAfterAsync(quality.Event, "quality"));
        Assert.Equal(MetaFields.QualityUpdate, quality.Event.Field);
        // As a webhook would: PAUSED alerts by default, a quality change does not.
        var alert = Assert.Single(await AlertsAsync());
        Assert.Equal((AlertKinds.TemplatePaused, 20L), (alert.Facts.Kind, alert.Facts.TemplateId));
    }

    [Fact]
    public async Task Reconcile_SecondRunWithNothingChangedAtMeta_ChangesNothingAndAlertsNobody()
    {
        await WebhookAsync(Approved("w-1", 21, "MARKETING", _start.AddDays(-2)));
        await WebhookAsync(Approved("w-2", 22, "UTILITY", _start.AddDays(-2)));
        var rejected = FakeGraphApi.Template(23, status: "REJECTED");
        _api.ServePages(Waba,
            [FakeGraphApi.Template(21, category: "UTILITY", correctCategory: "UTILITY"), FakeGraphApi.Template(22, correctCategory: "MARKETING")],
            [rejected, FakeGraphApi.Template(24, status: "PAUSED", quality: "RED")]);
        var first = await ReconcileAsync(bootstrap: false);
        var alertsAfterFirst = await AlertsAsync();
        var eventsAfterFirst = await EventsAsync();
        var catalogAfterFirst = await CatalogAsync();

        var second = await ReconcileAsync(bootstrap: false);

        Assert.Equal((2, 2, 1), (first.Added, first.Changed, first.PendingChangesFound));
        Assert.Equal(4, alertsAfterFirst.Count);
        Assert.Equal((AccountRunStatus.Succeeded, 4, 0, 0, 0, 0), (second.Status, second.TemplatesSeen, second.Added, second.Changed, second.PendingChangesFound, second.Deleted));
        Assert.Equal(Ids(alertsAfterFirst), Ids(await AlertsAsync()));
        Assert.Equal(eventsAfterFirst.Count, (await EventsAsync()).Count);
        Assert.Equal(catalogAfterFirst, await CatalogAsync());
    }

    // ----- Rule 4: deleted at Meta -----

    [Fact]
    public async Task Reconcile_TemplateAbsentFromACompleteListing_IsRecordedDeletedWithoutAlert()
    {
        _api.ServePages(Waba, [FakeGraphApi.Template(30), FakeGraphApi.Template(31)], [FakeGraphApi.Template(32)]);
        await ReconcileAsync(bootstrap: true);
        _api.ServePages(Waba, [FakeGraphApi.Template(30)], [FakeGraphApi.Template(32)]);

        var result = await ReconcileAsync(bootstrap: false);

        Assert.Equal((1, 0), (result.Deleted, result.Changed));
        Assert.Equal(MetaValues.Deleted, (await Store.GetTemplateAsync(31))!.Status);
        Assert.Equal("APPROVED", (await Store.GetTemplateAsync(30))!.Status);
        var deleted = Assert.Single(await EventsAsync(31), e => e.Event.Kind == EventKind.Deleted);
        Assert.Equal((EventSource.Reconciliation, true), (deleted.Event.Source, deleted.CatalogApplied));
        Assert.Empty(await AlertsAsync());
        Assert.Equal(0, (await ReconcileAsync(bootstrap: false)).Deleted);
    }

    [Fact]
    public async Task Reconcile_ListingThatFailsMidway_MarksNothingDeleted()
    {
        _api.ServePages(Waba, [FakeGraphApi.Template(40), FakeGraphApi.Template(41)], [FakeGraphApi.Template(42), FakeGraphApi.Template(43)]);
        await ReconcileAsync(bootstrap: true);
        // The first page is served (41 gone from it), the second request fails: 41, 42 and 43 are unseen.
        _api.ServePages(Waba, [FakeGraphApi.Template(40)], [FakeGraphApi.Template(42), FakeGraphApi.Template(43)])
            .Delay(TimeSpan.Zero)
            .Fail(HttpStatusCode.BadRequest, code: 100);

        var result = await ReconcileAsync(bootstrap: false);

        Assert.Equal((AccountRunStatus.Failed, 0, 1), (result.Status, result.Deleted, result.TemplatesSeen));
        Assert.NotNull(result.Error);
        Assert.Equal(2, _api.Received.Count(r => r.Path.EndsWith("/message_templates", StringComparison.Ordinal) && r.Query.Contains("after=1", StringComparison.Ordinal)));
        Assert.All(await CatalogAsync(), t => Assert.Equal("APPROVED", t.Status));
        Assert.DoesNotContain(await EventsAsync(), e => e.Event.Kind == EventKind.Deleted);
    }

    // ----- Rule 5: order, and webhooks that arrive late -----

    [Fact]
    public async Task Apply_WebhookOlderThanTheFetch_DoesNotRollItBack()
    {
        await WebhookAsync(Approved("w-1", 50, "UTILITY", _start.AddDays(-2)));
        _api.ServePages(Waba, [FakeGraphApi.Template(50, status: "PAUSED")]);
        await ReconcileAsync(bootstrap: false);
        var fetchedAt = FetchedAt(await EventsAsync(50));

        var late = await WebhookAsync(Status("w-late", 50, "REINSTATED", fetchedAt.AddMinutes(-1)));

        Assert.False(late.CatalogApplied);
        Assert.Equal("PAUSED", (await Store.GetTemplateAsync(50))!.Status);
    }

    [Fact]
    public async Task Apply_WebhookNewerThanTheFetch_Wins()
    {
        await WebhookAsync(Approved("w-1", 51, "UTILITY", _start.AddDays(-2)));
        _api.ServePages(Waba, [FakeGraphApi.Template(51, status: "PAUSED")]);
        await ReconcileAsync(bootstrap: false);
        var fetchedAt = FetchedAt(await EventsAsync(51));

        var newer = await WebhookAsync(Status("w-new", 51, "REINSTATED", fetchedAt.AddSeconds(1)));

        Assert.True(newer.CatalogApplied);
        Assert.Equal("APPROVED", (await Store.GetTemplateAsync(51))!.Status);
    }

    [Theory]
    [InlineData(-60)]
    [InlineData(1)]
    public async Task Apply_LateWebhookForTheRejectionAReconciliationFound_AlertsNobodyASecondTime(int secondsFromFetch)
    {
        _api.ServePages(Waba, [FakeGraphApi.Template(52, "late_rejection", status: "REJECTED")]);
        await ReconcileAsync(bootstrap: false);
        var first = Assert.Single(await AlertsAsync());
        var fetchedAt = FetchedAt(await EventsAsync(52));

        var late = await WebhookAsync(Status("w-late", 52, "REJECTED", fetchedAt.AddSeconds(secondsFromFetch)));

        Assert.Equal((false, 0), (late.Duplicate, late.Alerts));
        Assert.Equal(secondsFromFetch > 0, late.CatalogApplied);
        Assert.Equal([first.Id], Ids(await AlertsAsync()));
        Assert.Equal("REJECTED", (await Store.GetTemplateAsync(52))!.Status);
    }

    [Theory]
    [InlineData(-60)]
    [InlineData(1)]
    public async Task Apply_LateNoticeForThePendingChangeAReconciliationFound_AlertsNobodyASecondTime(int secondsFromFetch)
    {
        await WebhookAsync(Approved("w-1", 53, "UTILITY", _start.AddDays(-2)));
        _api.ServePages(Waba, [FakeGraphApi.Template(53, category: "UTILITY", correctCategory: "MARKETING")]);
        await ReconcileAsync(bootstrap: false);
        var first = Assert.Single(await AlertsAsync());
        var fetchedAt = FetchedAt(await EventsAsync(53));
        var effective = _start.AddDays(5);

        var late = await WebhookAsync(Notice("w-late", 53, "UTILITY", "MARKETING", effective, fetchedAt.AddSeconds(secondsFromFetch)));

        Assert.Equal(0, late.Alerts);
        Assert.Equal([first.Id], Ids(await AlertsAsync()));
        var pending = (await Store.GetTemplateAsync(53))!.PendingCategoryChange!;
        Assert.Equal("MARKETING", pending.To);
        // A newer notice brings the date the Graph API could not give; an older one is history only.
        Assert.Equal(secondsFromFetch > 0 ? effective : null, pending.EffectiveAt);
    }

    // ----- Graph API errors -----

    [Fact]
    public async Task Reconcile_ExpiredToken_FailsTheAccountNamingTheSettingWithoutRetrying()
    {
        _api.ServePages(Waba, [FakeGraphApi.Template(60)]).Fail(HttpStatusCode.BadRequest, code: 190, echoToken: true);

        var result = await ReconcileAsync(bootstrap: true);

        Assert.Equal(AccountRunStatus.Failed, result.Status);
        Assert.Contains("Meta:GraphApi:AccessToken", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, result.Error, StringComparison.Ordinal);
        Assert.Single(_api.Received);
        Assert.Empty(await CatalogAsync());
        Assert.All(_logs.Entries, e => Assert.DoesNotContain(Token, e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconcile_ThrottledWithAShortRetryAfter_BacksOffAndCompletes()
    {
        _api.ServePages(Waba, [FakeGraphApi.Template(61)], [FakeGraphApi.Template(62)])
            .Delay(TimeSpan.Zero)
            .Fail(HttpStatusCode.TooManyRequests, code: 4, retryAfter: TimeSpan.FromSeconds(1));

        var result = await ReconcileAsync(bootstrap: true);

        Assert.Equal((AccountRunStatus.Succeeded, 2), (result.Status, result.Added));
        var received = _api.Received;
        Assert.Equal(3, received.Count);
        Assert.True(received[2].ReceivedAt - received[1].ReceivedAt >= TimeSpan.FromMilliseconds(900), "the retry came before Retry-After allowed");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(80007)]
    public async Task Reconcile_ThrottledForMinutes_FailsTheAccountAndTheNextRunWaitsUntilMetaAllows(int code)
    {
        var time = new WatchedFakeTimeProvider(_start);
        var reconciler = Reconciler(time);
        _api.ServePages(Waba, [FakeGraphApi.Template(63)]).Fail(HttpStatusCode.BadRequest, code: code, regainMinutes: 2);

        var throttled = await reconciler.ReconcileAsync(Waba, "run-1", bootstrap: true, null, CancellationToken.None);
        var next = reconciler.ReconcileAsync(Waba, "run-2", bootstrap: true, null, CancellationToken.None);
        await time.WaitForTimerAsync(due => due >= TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10));

        Assert.Equal(AccountRunStatus.Failed, throttled.Status);
        Assert.NotNull(throttled.Error);
        Assert.Single(_api.Received);
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(2));
        var result = await next.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal((AccountRunStatus.Succeeded, 1), (result.Status, result.Added));
        Assert.Equal(2, _api.Received.Count);
    }

    [Fact]
    public async Task Reconcile_ServerErrorThenSuccess_RetriesAndCompletes()
    {
        _api.ServePages(Waba, [FakeGraphApi.Template(64)], [FakeGraphApi.Template(65)]).Fail(HttpStatusCode.InternalServerError, code: 2);

        var result = await ReconcileAsync(bootstrap: true);

        Assert.Equal((AccountRunStatus.Succeeded, 2), (result.Status, result.Added));
        Assert.Equal(3, _api.Received.Count);
        Assert.Equal(2, (await CatalogAsync()).Count);
    }

    [Fact]
    public async Task Reconcile_SlowPages_StillComplete()
    {
        _api.ServePages(Waba, [FakeGraphApi.Template(66)], [FakeGraphApi.Template(67)], [FakeGraphApi.Template(68)])
            .Delay(TimeSpan.FromMilliseconds(400), times: 3);

        var result = await ReconcileAsync(bootstrap: true);

        Assert.Equal((AccountRunStatus.Succeeded, 3, 3), (result.Status, result.TemplatesSeen, result.Added));
        Assert.Equal(3, _api.Received.Count);
    }

    // ----- Overdue pending changes -----

    [Fact]
    public async Task ReconcileOverdue_MetaStillShowsTheChangePending_FetchesItByIdAndKeepsItPendingAndOverdue()
    {
        var due = _start.AddHours(-2);
        await WebhookAsync(Approved("w-1", 70, "UTILITY", _start.AddDays(-3)));
        await WebhookAsync(Notice("w-2", 70, "UTILITY", "MARKETING", due, _start.AddDays(-2)));
        await WebhookAsync(Approved("w-3", 71, "UTILITY", _start.AddDays(-3)));
        await WebhookAsync(Notice("w-4", 71, "UTILITY", "MARKETING", _start.AddDays(2), _start.AddDays(-2)));
        var alertsBefore = await AlertsAsync();
        _api.ServePages(Waba, [FakeGraphApi.Template(70, category: "UTILITY", correctCategory: "MARKETING"), FakeGraphApi.Template(71, category: "UTILITY", correctCategory: "MARKETING")]);

        var result = await Reconciler().ReconcileOverdueAsync(Waba, NextRunId(), CancellationToken.None);

        Assert.Equal((AccountRunStatus.Succeeded, 1, 1, 0), (result.Status, result.TemplatesSeen, result.OverduePendingChanges, result.Changed));
        var request = Assert.Single(_api.Received);
        Assert.Equal($"/{FakeGraphApi.Version}/70", request.Path);
        var pending = (await Store.GetTemplateAsync(70))!.PendingCategoryChange!;
        Assert.Equal(("MARKETING", (DateTimeOffset?)due), (pending.To, pending.EffectiveAt));
        Assert.Equal(Ids(alertsBefore), Ids(await AlertsAsync()));
    }

    [Fact]
    public async Task Reconcile_FullListingStillShowingAnOverdueChange_CountsItOverdue()
    {
        await WebhookAsync(Approved("w-1", 73, "UTILITY", _start.AddDays(-3)));
        await WebhookAsync(Notice("w-2", 73, "UTILITY", "MARKETING", _start.AddHours(-2), _start.AddDays(-2)));
        await WebhookAsync(Approved("w-3", 74, "UTILITY", _start.AddDays(-3)));
        await WebhookAsync(Notice("w-4", 74, "UTILITY", "MARKETING", _start.AddMinutes(-30), _start.AddDays(-2)));
        _api.ServePages(Waba, [FakeGraphApi.Template(73, correctCategory: "MARKETING"), FakeGraphApi.Template(74, correctCategory: "MARKETING")]);

        var result = await ReconcileAsync(bootstrap: false);

        // 74's time has passed by less than the grace period (an hour by default): not overdue yet.
        Assert.Equal((AccountRunStatus.Succeeded, 1, 0), (result.Status, result.OverduePendingChanges, result.PendingChangesFound));
        Assert.Equal(_start.AddHours(-2), (await Store.GetTemplateAsync(73))!.PendingCategoryChange!.EffectiveAt);
    }

    [Fact]
    public async Task ReconcileOverdue_MetaShowsTheNewCategory_CompletesTheChangeAndAlerts()
    {
        var due = _start.AddHours(-2);
        await WebhookAsync(Approved("w-1", 72, "UTILITY", _start.AddDays(-3)));
        await WebhookAsync(Notice("w-2", 72, "UTILITY", "MARKETING", due, _start.AddDays(-2)));
        _api.ServePages(Waba, [FakeGraphApi.Template(72, category: "MARKETING", correctCategory: "MARKETING")]);

        var result = await Reconciler().ReconcileOverdueAsync(Waba, NextRunId(), CancellationToken.None);

        Assert.Equal((AccountRunStatus.Succeeded, 0, 1), (result.Status, result.OverduePendingChanges, result.Changed));
        var record = (await Store.GetTemplateAsync(72))!;
        Assert.Equal(("MARKETING", (PendingCategoryChange?)null), (record.Category, record.PendingCategoryChange));
        var changed = Assert.Single(await AlertsAsync(), a => a.Facts.Kind == AlertKinds.CategoryChanged);
        Assert.Equal(("UTILITY", "MARKETING", (DateTimeOffset?)due), (changed.Facts.PreviousCategory, changed.Facts.NewCategory, changed.Facts.EffectiveAt));
    }

    // ----- helpers -----

    private Task<AccountReconciliation> ReconcileAsync(bool bootstrap) =>
        Reconciler().ReconcileAsync(Waba, NextRunId(), bootstrap, null, CancellationToken.None);

    private string NextRunId() => $"run-{++_runs}";

    /// <summary>The product's reconciler over this implementation's stores, with a Graph API client registered as the service registers it.</summary>
    private AccountReconciler Reconciler(TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Meta:GraphApi:AccessToken"] = Token,
            ["Meta:GraphApi:BaseUrl"] = _api.BaseAddress.ToString(),
            ["Meta:GraphApi:PageSize"] = "2",
            ["Meta:GraphApi:RetryBaseDelay"] = "00:00:00.010",
            ["Meta:GraphApi:AttemptTimeout"] = "00:00:10",
        }).Build());
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace));
        _logs.AddTo(services);
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddGraphApi();
        services.AddSingleton(Store);
        services.AddSingleton(_stores.Notifications);
        services.AddSingleton(Options.Create(_alerts));
        services.AddSingleton(Options.Create(new ReconciliationOptions()));
        services.AddSingleton<AlertSignals>();
        services.AddSingleton<AccountReconciler>();
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<AccountReconciler>();
    }

    /// <summary>Applies one webhook event as the processor does: the store commits what the one decision says.</summary>
    private async Task<ApplyResult> WebhookAsync(TemplateEvent e)
    {
        var owners = await _stores.Notifications.ListOwnersAsync();
        var results = await Store.ApplyAsync([e], TimeProvider.System.GetUtcNow(), (current, ev) => TemplateDecision.Decide(current, ev, owners, _alerts));
        return results[0];
    }

    private static TemplateEvent Webhook(string id, long templateId, string field, EventKind kind, DateTimeOffset at) => new()
    {
        EventId = id,
        WabaId = Waba,
        Field = field,
        Kind = kind,
        TemplateId = templateId,
        TemplateName = $"template_{templateId}",
        Language = "en_US",
        OccurredAt = at,
        ReceivedAt = at,
        Raw = "{}",
    };

    private static TemplateEvent Status(string id, long templateId, string status, DateTimeOffset at) =>
        Webhook(id, templateId, MetaFields.StatusUpdate, EventKind.Status, at) with { Event = status };

    private static TemplateEvent Approved(string id, long templateId, string category, DateTimeOffset at) =>
        Status(id, templateId, "APPROVED", at) with { Category = category };

    private static TemplateEvent Quality(string id, long templateId, string score, DateTimeOffset at) =>
        Webhook(id, templateId, MetaFields.QualityUpdate, EventKind.Quality, at) with { NewQualityScore = score };

    private static TemplateEvent Notice(string id, long templateId, string from, string to, DateTimeOffset effective, DateTimeOffset at) =>
        Webhook(id, templateId, MetaFields.CategoryUpdate, EventKind.CategoryChangePending, at) with
        {
            Category = from, NewCategory = to, CorrectCategory = to, EffectiveAt = effective,
        };

    private async Task<List<Notification>> AlertsAsync() =>
        [.. (await _stores.Notifications.QueryAsync(new NotificationQuery(Limit: 500))).Items.OrderBy(n => n.Id, StringComparer.Ordinal)];

    private async Task<List<StoredEvent>> EventsAsync(long? templateId = null) =>
        [.. (await Store.QueryEventsAsync(new EventQuery(TemplateId: templateId, Limit: 500))).Items];

    private async Task<List<TemplateRecord>> CatalogAsync() =>
        [.. (await Store.QueryTemplatesAsync(new TemplateQuery(WabaId: Waba, Limit: 500))).Items.OrderBy(t => t.TemplateId)];

    private static List<string> Ids(IEnumerable<Notification> alerts) => [.. alerts.Select(a => a.Id)];

    private static (string? Status, string? Category, string? Quality) Shown(TemplateRecord? record) =>
        (record!.Status, record.Category, record.QualityScore);

    /// <summary>When the Graph API answered, as the reconciliation events of a template record it.</summary>
    private static DateTimeOffset FetchedAt(IEnumerable<StoredEvent> events) =>
        events.First(e => e.Event.Source == EventSource.Reconciliation).Event.OccurredAt;

    /// <summary>The before and after values of <paramref name="name"/> in the raw body history keeps for a reconciliation event.</summary>
    private async Task<(string? Before, string? After)> BeforeAfterAsync(TemplateEvent e, string name)
    {
        var json = JsonNode.Parse((await Store.GetEventRawAsync(e.EventId))!)!;
        Assert.Equal("reconciliation", (string?)json["source"]);
        return ((string?)json["before"]?[name], (string?)json["after"]?[name]);
    }
}
