using System.Text.Json;
using WebhookProcessor.Catalog;
using WebhookProcessor.Meta;
using WebhookProcessor.Notifications;
using WebhookProcessor.Processing;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.UnitTests.Reconciliation;

/// <summary>
/// The Graph API's answer against the catalog, case by case as the issue and Meta's categorization guide
/// state them, and what the one decision then makes of the events: the catalog after, and who is told.
/// </summary>
public sealed class ReconciliationRulesTests
{
    private const long Id = 1304694804498707;
    private const string Waba = "109876543210987";

    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Fetched = T0.AddDays(10);

    private static readonly Owner Everyone = new()
    {
        Id = "ops",
        DisplayName = "Ops",
        Emails = ["ops@example.com"],
        Language = "en",
        Match = new OwnerMatch(null, "*"),
    };

    private static ReconciliationContext Context(bool bootstrap = false, DateTimeOffset? fetchedAt = null) =>
        new(Waba, "20261111T000000000Z-0a0b0c0d", fetchedAt ?? Fetched, bootstrap);

    private static GraphTemplate Api(
        string status = "APPROVED",
        string? category = "UTILITY",
        string? correctCategory = "",
        string? quality = "GREEN",
        string? rejectedReason = "NONE") =>
        new(Id, "order_update", "es_MX", status, category, null, correctCategory, quality is null ? null : new GraphQualityScore(quality, null), rejectedReason, "CUSTOM");

    private static TemplateRecord Known(
        string status = "APPROVED",
        string category = "UTILITY",
        string? quality = "GREEN",
        PendingCategoryChange? pending = null) => new()
        {
            TemplateId = Id,
            WabaId = Waba,
            Name = "order_update",
            Language = "es_MX",
            Status = status,
            LastStatusEvent = status,
            StatusAt = T0,
            Category = category,
            CategoryAt = T0,
            PendingCategoryChange = pending,
            QualityScore = quality,
            QualityAt = quality is null ? null : T0,
            FirstSeenAt = T0,
            LastEventAt = T0,
        };

    /// <summary>Runs the events through the one decision in order, as a store would, and collects the catalog after and every alert kind planned.</summary>
    private static (TemplateRecord? Record, List<string> Alerts, List<bool> Applied) Decide(TemplateRecord? current, IReadOnlyList<TemplateEvent> events)
    {
        var alerts = new List<string>();
        var applied = new List<bool>();
        var record = current;
        foreach (var e in events)
        {
            var decision = TemplateDecision.Decide(record, e, [Everyone], new NotificationOptions());
            record = decision.Next ?? record;
            applied.Add(decision.Applied);
            alerts.AddRange(decision.Outbox.Select(o => o.Kind));
        }

        return (record, alerts, applied);
    }

    [Fact]
    public void Compare_SameAsCatalog_GivesNoEvents()
    {
        Assert.Empty(ReconciliationRules.Compare(Known(), Api(), Context()));
    }

    [Fact]
    public void Compare_UnknownAtBootstrap_AddsEverythingAndAlertsNobody()
    {
        var events = ReconciliationRules.Compare(null, Api(status: "REJECTED", category: "MARKETING", quality: "YELLOW", rejectedReason: "INCORRECT_CATEGORY"), Context(bootstrap: true));

        var e = Assert.Single(events);
        Assert.Equal(EventKind.Discovered, e.Kind);
        var (record, alerts, _) = Decide(null, events);
        Assert.Empty(alerts);
        Assert.Equal("REJECTED", record!.Status);
        Assert.Equal("MARKETING", record.Category);
        Assert.Equal("YELLOW", record.QualityScore);
        Assert.Equal("INCORRECT_CATEGORY", record.LastReason);
        Assert.Equal("order_update", record.Name);
        Assert.Equal("es_MX", record.Language);
        Assert.Equal(Fetched, record.StatusAt);
        Assert.Null(record.PendingCategoryChange);
    }

    [Fact]
    public void Compare_UnknownWithPendingChangeAtBootstrap_AlertsOnlyTheUpcomingChange()
    {
        var events = ReconciliationRules.Compare(null, Api(category: "UTILITY", correctCategory: "MARKETING"), Context(bootstrap: true));

        var (record, alerts, _) = Decide(null, events);
        Assert.Equal([AlertKinds.CategoryChangeUpcoming], alerts);
        Assert.Equal(new PendingCategoryChange("UTILITY", "MARKETING", null, Fetched), record!.PendingCategoryChange);
    }

    [Fact]
    public void Compare_UnknownRejectedOutsideBootstrap_AlertsTheRejectionAWebhookWouldHave()
    {
        var events = ReconciliationRules.Compare(null, Api(status: "REJECTED", rejectedReason: "INCORRECT_CATEGORY"), Context());

        var (record, alerts, _) = Decide(null, events);
        Assert.Equal([AlertKinds.TemplateRejected], alerts);
        Assert.Equal("REJECTED", record!.Status);
        Assert.Equal("INCORRECT_CATEGORY", record.LastReason);
    }

    [Fact]
    public void Compare_UnknownApprovedOutsideBootstrap_AddsWithoutAlertByDefault()
    {
        var (record, alerts, _) = Decide(null, ReconciliationRules.Compare(null, Api(), Context()));

        Assert.Empty(alerts);
        Assert.Equal("APPROVED", record!.Status);
    }

    [Fact]
    public void Compare_CategoryEqualsCorrectCategoryWhileCatalogShowsOld_AppliesCompletedChange()
    {
        var webhookTime = T0.AddDays(5);
        var current = Known(category: "UTILITY", pending: new PendingCategoryChange("UTILITY", "MARKETING", webhookTime, T0));

        var events = ReconciliationRules.Compare(current, Api(category: "MARKETING", correctCategory: "MARKETING"), Context());

        var e = Assert.Single(events);
        Assert.Equal(EventKind.CategoryChanged, e.Kind);
        Assert.Equal(("UTILITY", "MARKETING"), (e.PreviousCategory, e.NewCategory));
        Assert.Equal(webhookTime, e.EffectiveAt);
        var (record, alerts, _) = Decide(current, events);
        Assert.Equal("MARKETING", record!.Category);
        Assert.Null(record.PendingCategoryChange);
        Assert.Equal([AlertKinds.CategoryChanged], alerts);
    }

    [Fact]
    public void Compare_CategoryDiffersWithoutCorrectCategory_IsAMissedCompletedChange()
    {
        var current = Known(category: "MARKETING");

        var (record, alerts, _) = Decide(current, ReconciliationRules.Compare(current, Api(category: "UTILITY", correctCategory: null), Context()));

        Assert.Equal("UTILITY", record!.Category);
        Assert.Equal([AlertKinds.CategoryChanged], alerts);
    }

    [Fact]
    public void Compare_CorrectCategoryDiffers_RecordsPendingWithUnknownDateAndAlerts()
    {
        var current = Known(category: "UTILITY");

        var events = ReconciliationRules.Compare(current, Api(category: "UTILITY", correctCategory: "MARKETING"), Context());

        var e = Assert.Single(events);
        Assert.Equal(EventKind.CategoryChangePending, e.Kind);
        Assert.Null(e.EffectiveAt);
        var (record, alerts, _) = Decide(current, events);
        Assert.Equal(new PendingCategoryChange("UTILITY", "MARKETING", null, Fetched), record!.PendingCategoryChange);
        Assert.Equal("UTILITY", record.Category);
        Assert.Equal([AlertKinds.CategoryChangeUpcoming], alerts);
    }

    [Fact]
    public void Compare_PendingToSameTargetAlreadyShown_KeepsTheWebhookTimeAndSaysNothing()
    {
        var current = Known(category: "UTILITY", pending: new PendingCategoryChange("UTILITY", "MARKETING", T0.AddDays(30), T0));

        Assert.Empty(ReconciliationRules.Compare(current, Api(category: "UTILITY", correctCategory: "MARKETING"), Context()));
    }

    [Fact]
    public void Compare_PendingToAnotherTarget_ReplacesItWithUnknownDate()
    {
        var current = Known(category: "UTILITY", pending: new PendingCategoryChange("UTILITY", "AUTHENTICATION", T0.AddDays(30), T0));

        var events = ReconciliationRules.Compare(current, Api(category: "UTILITY", correctCategory: "MARKETING"), Context());

        var (record, alerts, _) = Decide(current, events);
        Assert.Equal(new PendingCategoryChange("UTILITY", "MARKETING", null, Fetched), record!.PendingCategoryChange);
        Assert.Equal([AlertKinds.CategoryChangeUpcoming], alerts);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Compare_NothingPendingAndCatalogPendingTimePassed_ClearsItWithoutAlert(string? correctCategory)
    {
        var current = Known(category: "UTILITY", pending: new PendingCategoryChange("UTILITY", "MARKETING", Fetched.AddDays(-1), T0));

        var events = ReconciliationRules.Compare(current, Api(category: "UTILITY", correctCategory: correctCategory), Context());

        var e = Assert.Single(events);
        Assert.Equal(EventKind.PendingChangeCleared, e.Kind);
        var (record, alerts, _) = Decide(current, events);
        Assert.Null(record!.PendingCategoryChange);
        Assert.Equal("UTILITY", record.Category);
        Assert.Empty(alerts);
    }

    [Fact]
    public void Compare_NothingPendingButCatalogPendingStillAhead_KeepsTheWebhooksWord()
    {
        var current = Known(category: "UTILITY", pending: new PendingCategoryChange("UTILITY", "MARKETING", Fetched.AddDays(3), T0));

        Assert.Empty(ReconciliationRules.Compare(current, Api(category: "UTILITY", correctCategory: ""), Context()));
    }

    [Fact]
    public void Compare_NothingPendingAndCatalogPendingWithUnknownDate_ClearsIt()
    {
        var current = Known(category: "UTILITY", pending: new PendingCategoryChange("UTILITY", "MARKETING", null, T0));

        var e = Assert.Single(ReconciliationRules.Compare(current, Api(category: "UTILITY", correctCategory: ""), Context()));

        Assert.Equal(EventKind.PendingChangeCleared, e.Kind);
    }

    [Fact]
    public void Compare_StatusDiffers_RecordsBeforeAndAfterAndAlertsAsAWebhookWould()
    {
        var current = Known(status: "APPROVED");

        var events = ReconciliationRules.Compare(current, Api(status: "PAUSED"), Context());

        var e = Assert.Single(events);
        Assert.Equal((EventKind.Status, "PAUSED", MetaFields.StatusUpdate, EventSource.Reconciliation), (e.Kind, e.Event, e.Field, e.Source));
        using var raw = JsonDocument.Parse(e.Raw);
        Assert.Equal("APPROVED", raw.RootElement.GetProperty("before").GetProperty("status").GetString());
        Assert.Equal("PAUSED", raw.RootElement.GetProperty("after").GetProperty("status").GetString());
        Assert.Equal("reconciliation", raw.RootElement.GetProperty("source").GetString());
        Assert.Equal(Id.ToString(System.Globalization.CultureInfo.InvariantCulture), raw.RootElement.GetProperty("template").GetProperty("id").GetString());
        var (record, alerts, _) = Decide(current, events);
        Assert.Equal("PAUSED", record!.Status);
        Assert.Equal([AlertKinds.TemplatePaused], alerts);
    }

    [Fact]
    public void Compare_RejectedWithReason_CarriesTheReasonAndDropsNone()
    {
        var rejected = Assert.Single(ReconciliationRules.Compare(Known(), Api(status: "REJECTED", rejectedReason: "INCORRECT_CATEGORY"), Context()));
        var paused = Assert.Single(ReconciliationRules.Compare(Known(), Api(status: "PAUSED", rejectedReason: "NONE"), Context()));

        Assert.Equal("INCORRECT_CATEGORY", rejected.Reason);
        Assert.Null(paused.Reason);
    }

    [Fact]
    public void Compare_QualityDiffers_RecordsPreviousAndNew()
    {
        var current = Known(quality: "GREEN");

        var e = Assert.Single(ReconciliationRules.Compare(current, Api(quality: "RED"), Context()));

        Assert.Equal((EventKind.Quality, "GREEN", "RED"), (e.Kind, e.PreviousQualityScore, e.NewQualityScore));
        Assert.Equal("RED", Decide(current, [e]).Record!.QualityScore);
    }

    [Fact]
    public void Compare_SeveralDifferences_OneEventEachAllApplied()
    {
        var current = Known(status: "APPROVED", category: "UTILITY", quality: "GREEN");

        var events = ReconciliationRules.Compare(current, Api(status: "PAUSED", category: "MARKETING", correctCategory: "MARKETING", quality: "RED"), Context());

        Assert.Equal([EventKind.Status, EventKind.CategoryChanged, EventKind.Quality], events.Select(e => e.Kind));
        Assert.Equal(events.Count, events.Select(e => e.EventId).Distinct().Count());
        var (record, _, applied) = Decide(current, events);
        Assert.All(applied, Assert.True);
        Assert.Equal(("PAUSED", "MARKETING", "RED"), (record!.Status, record.Category, record.QualityScore));
    }

    [Fact]
    public void Compare_SecondRunAfterApplying_FindsNothing()
    {
        var current = Known(status: "APPROVED", category: "UTILITY");
        var api = Api(status: "REJECTED", category: "UTILITY", correctCategory: "MARKETING", quality: "YELLOW");
        var first = Decide(current, ReconciliationRules.Compare(current, api, Context()));

        Assert.Empty(ReconciliationRules.Compare(first.Record, api, Context(fetchedAt: Fetched.AddHours(6))));
    }

    [Fact]
    public void Compare_SameDifferenceSeenTwice_GivesTheSameEventIds()
    {
        var current = Known(status: "APPROVED");

        var a = ReconciliationRules.Compare(current, Api(status: "PAUSED"), Context());
        var b = ReconciliationRules.Compare(current, Api(status: "PAUSED"), Context(fetchedAt: Fetched.AddMinutes(3)) with { RunId = "20261111T000300000Z-01020304" });

        Assert.Equal(a.Select(e => e.EventId), b.Select(e => e.EventId));
        Assert.StartsWith("rc-", a[0].EventId, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_DifferentTemplatesSameDifference_GiveDifferentEventIds()
    {
        var other = Known() with { TemplateId = Id + 1 };

        var a = Assert.Single(ReconciliationRules.Compare(Known(), Api(status: "PAUSED"), Context()));
        var b = Assert.Single(ReconciliationRules.Compare(other, Api(status: "PAUSED") with { Id = Id + 1 }, Context()));

        Assert.NotEqual(a.EventId, b.EventId);
    }

    [Fact]
    public void Compare_WebhookNewerThanFetch_IsNotRolledBack()
    {
        // A PAUSED webhook at fetch + 1 minute reached the catalog first; the API's older APPROVED must not undo it.
        var current = Known(status: "PAUSED") with { StatusAt = Fetched.AddMinutes(1) };

        var (record, alerts, applied) = Decide(current, ReconciliationRules.Compare(current, Api(status: "APPROVED"), Context()));

        Assert.Equal("PAUSED", record!.Status);
        Assert.Equal([false], applied);
        Assert.Empty(alerts);
    }

    [Fact]
    public void LateWebhook_OlderThanFetch_IsStaleAndAlertsNobody()
    {
        var current = Known(status: "APPROVED");
        var (afterRun, runAlerts, _) = Decide(current, ReconciliationRules.Compare(current, Api(status: "REJECTED"), Context()));
        var late = Webhook(EventKind.Status, Fetched.AddHours(-2)) with { Event = "REJECTED" };

        var (record, alerts, applied) = Decide(afterRun, [late]);

        Assert.Equal([AlertKinds.TemplateRejected], runAlerts);
        Assert.Equal([false], applied);
        Assert.Empty(alerts);
        Assert.Equal("REJECTED", record!.Status);
    }

    [Fact]
    public void LateWebhook_NewerThanFetchForTheSameChange_UpdatesButAlertsNobody()
    {
        var current = Known(category: "UTILITY");
        var (afterRun, _, _) = Decide(current, ReconciliationRules.Compare(current, Api(correctCategory: "MARKETING"), Context()));
        var effective = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var notice = Webhook(EventKind.CategoryChangePending, Fetched.AddMinutes(5)) with { Category = "UTILITY", NewCategory = "MARKETING", EffectiveAt = effective };

        var (record, alerts, _) = Decide(afterRun, [notice]);

        Assert.Empty(alerts);
        // The webhook's date fills in what the Graph API could not say.
        Assert.Equal(effective, record!.PendingCategoryChange!.EffectiveAt);
    }

    [Fact]
    public void Deleted_KnownTemplate_SetsDeletedClearsPendingAndAlertsNobody()
    {
        var current = Known(pending: new PendingCategoryChange("UTILITY", "MARKETING", null, T0));

        var e = ReconciliationRules.Deleted(current, Context());

        Assert.NotNull(e);
        Assert.Equal((EventKind.Deleted, Id, ReconciliationRules.Field), (e.Kind, e.TemplateId!.Value, e.Field));
        var (record, alerts, _) = Decide(current, [e]);
        Assert.Equal(MetaValues.Deleted, record!.Status);
        Assert.Null(record.PendingCategoryChange);
        Assert.Empty(alerts);
    }

    [Fact]
    public void Deleted_AlreadyDeleted_GivesNothing()
    {
        Assert.Null(ReconciliationRules.Deleted(Known(status: MetaValues.Deleted), Context()));
    }

    [Theory]
    [InlineData("UTILITY", "MARKETING", "MARKETING")]
    [InlineData("UTILITY", "", null)]
    [InlineData("UTILITY", null, null)]
    [InlineData("UTILITY", " ", null)]
    [InlineData("MARKETING", "MARKETING", null)]
    [InlineData("MARKETING", "marketing", null)]
    public void PendingTarget_CorrectCategoryVariants_ReadAsTheGuideDoes(string category, string? correctCategory, string? expected)
    {
        Assert.Equal(expected, ReconciliationRules.PendingTarget(Api(category: category, correctCategory: correctCategory)));
    }

    private static TemplateEvent Webhook(EventKind kind, DateTimeOffset at) => new()
    {
        EventId = $"webhook-{kind}-{at.ToUnixTimeSeconds()}",
        WabaId = Waba,
        Field = MetaFields.StatusUpdate,
        Kind = kind,
        TemplateId = Id,
        TemplateName = "order_update",
        Language = "es_MX",
        OccurredAt = at,
        ReceivedAt = at,
        Raw = "{}",
    };
}
