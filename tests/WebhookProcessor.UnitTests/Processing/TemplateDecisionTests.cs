using System.Text.Json;
using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;
using WebhookProcessor.Processing;

namespace WebhookProcessor.UnitTests.Processing;

/// <summary>The one decision about an event: new state, applied or stale, and the outbox items per owner.</summary>
public sealed class TemplateDecisionTests
{
    private const long TemplateId = 1304694804498707;
    private const string Waba = "109876543210987";
    private const string TeamsUrl = "https://example.logic.azure.com/workflows/1?sig=abc";

    private static readonly DateTimeOffset T0 = new(2026, 6, 12, 0, 0, 0, TimeSpan.Zero);

    private static readonly Owner Payments = new()
    {
        Id = "payments",
        DisplayName = "Payments",
        Emails = ["ana@example.com", "luis@example.com"],
        TeamsWebhookUrl = TeamsUrl,
        Language = "en",
        Match = new OwnerMatch(null, "summer_*"),
    };

    private static readonly Owner Marketing = new()
    {
        Id = "marketing",
        DisplayName = "Marketing",
        Emails = ["mia@example.com"],
        Language = "es",
        Match = new OwnerMatch(null, "promo_*"),
    };

    /// <summary>A template the catalog holds as paused since minute 30.</summary>
    private static readonly TemplateRecord PausedAt30 = new()
    {
        TemplateId = TemplateId,
        WabaId = Waba,
        Name = "summer_sale",
        Language = "en_US",
        Status = "PAUSED",
        LastStatusEvent = "PAUSED",
        StatusAt = T0.AddMinutes(30),
        FirstSeenAt = T0,
        LastEventAt = T0.AddMinutes(30),
    };

    public static TheoryData<string, string, int, bool, string?, string[]> Cases() => new()
    {
        // name, status event, minute, catalog holds PausedAt30, status after, recipients (channel:recipient:owner:status)
        { "new template rejected: every recipient of the matching owner", "REJECTED", 10, false, "REJECTED", ["email:ana@example.com:payments:pending", "email:luis@example.com:payments:pending", $"teams:{TeamsUrl}:payments:pending"] },
        { "newer rejection of a known template", "REJECTED", 40, true, "REJECTED", ["email:ana@example.com:payments:pending", "email:luis@example.com:payments:pending", $"teams:{TeamsUrl}:payments:pending"] },
        { "older rejection than the catalog: stale, nobody told", "REJECTED", 20, true, "PAUSED", [] },
        { "approval applies but is not alerted by default", "APPROVED", 40, true, "APPROVED", [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decide_StatusEvent_GivesStateStalenessAndAlertsPerOwner(string name, string statusEvent, int minute, bool known, string? statusAfter, string[] expected)
    {
        var e = Status(statusEvent, minute);
        var current = known ? PausedAt30 : null;

        var decision = TemplateDecision.Decide(current, e, [Marketing, Payments], new NotificationOptions());

        Assert.True(decision.Next is not null, name);
        Assert.Equal(statusAfter, decision.Next.Status);
        Assert.Equal(!name.Contains("stale", StringComparison.Ordinal), decision.Applied);
        Assert.Equal(expected, decision.Outbox.Select(o => $"{o.Channel}:{o.Recipient}:{o.OwnerId}:{o.Status}"));
        Assert.All(decision.Outbox, o => Assert.Equal((e.EventId, AlertKinds.TemplateRejected, Waba, (long?)TemplateId, "en", true), (o.EventId, o.Kind, o.WabaId, o.TemplateId, o.Language, o.DueAtCommit)));
    }

    [Fact]
    public void Decide_NobodyMatchesAndNoDefault_WritesOneUnroutedItemThatIsNotDue()
    {
        var decision = TemplateDecision.Decide(null, Status("PAUSED", 10), [Marketing], new NotificationOptions());

        var item = Assert.Single(decision.Outbox);
        Assert.True(decision.Applied);
        Assert.Equal((null, null, NotificationStatus.Unrouted, false), (item.Channel, item.Recipient, item.Status, item.DueAtCommit));
    }

    [Fact]
    public void Decide_KindSwitchedOff_AppliesWithoutAlerts()
    {
        var options = new NotificationOptions();
        options.Alerts[AlertKinds.TemplateRejected] = false;

        var decision = TemplateDecision.Decide(null, Status("REJECTED", 10), [Payments], options);

        Assert.True(decision.Applied);
        Assert.Equal("REJECTED", decision.Next!.Status);
        Assert.Empty(decision.Outbox);
    }

    [Fact]
    public void Decide_EventWithoutTemplate_StoresNothingAndAlertsNobody()
    {
        var e = Status("REJECTED", 10) with { TemplateId = null };

        var decision = TemplateDecision.Decide(null, e, [Payments], new NotificationOptions());

        Assert.Equal((null, false), (decision.Next, decision.Applied));
        Assert.Empty(decision.Outbox);
    }

    [Fact]
    public void Decide_SeveralRecipients_CarryTheSameFactsOfTheEvent()
    {
        var e = Status("REJECTED", 10) with { RejectionReason = "Looks like spam" };

        var decision = TemplateDecision.Decide(null, e, [Payments], new NotificationOptions());

        var facts = decision.Outbox.Select(o => JsonSerializer.Deserialize<AlertFacts>(o.FactsJson, new JsonSerializerOptions(JsonSerializerDefaults.Web))!).ToList();
        Assert.Equal(3, facts.Count);
        Assert.All(facts, f => Assert.Equal((e.EventId, AlertKinds.TemplateRejected, "Looks like spam"), (f.EventId, f.Kind, f.RejectionReason)));
        Assert.Single(decision.Outbox.Select(o => o.FactsJson).Distinct());
        Assert.Equal(3, decision.Outbox.Select(o => o.NotificationId).Distinct().Count());
    }

    [Fact]
    public void Decide_SameStatusAgainLater_AppliesTheTimeButAlertsNobody()
    {
        // Meta sending PAUSED twice, or a webhook arriving after a reconciliation applied the same pause.
        var decision = TemplateDecision.Decide(PausedAt30, Status("PAUSED", 40), [Payments], new NotificationOptions());

        Assert.True(decision.Applied);
        Assert.Equal(T0.AddMinutes(40), decision.Next!.StatusAt);
        Assert.Empty(decision.Outbox);
    }

    [Fact]
    public void Decide_OtherStatusLater_StillAlerts()
    {
        var decision = TemplateDecision.Decide(PausedAt30, Status("DISABLED", 40), [Payments], new NotificationOptions());

        Assert.Equal(3, decision.Outbox.Count);
    }

    [Theory]
    [InlineData("MARKETING", true)]
    [InlineData("AUTHENTICATION", false)]
    public void AlreadyShown_PendingTarget_ComparesWithTheCatalogsPendingChange(string target, bool expected)
    {
        var current = PausedAt30 with { Category = "UTILITY", PendingCategoryChange = new PendingCategoryChange("UTILITY", "MARKETING", null, T0) };
        var notice = Status("PAUSED", 50) with { Kind = EventKind.CategoryChangePending, Event = null, Category = "UTILITY", NewCategory = target };

        Assert.Equal(expected, TemplateDecision.AlreadyShown(current, notice));
    }

    [Fact]
    public void AlreadyShown_UnknownTemplate_IsFalse() =>
        Assert.False(TemplateDecision.AlreadyShown(null, Status("PAUSED", 10)));

    [Theory]
    [InlineData("REJECTED", true)]
    [InlineData("APPROVED", false)]
    public void MayAlert_KindSwitches_AreFollowed(string statusEvent, bool expected) =>
        Assert.Equal(expected, TemplateDecision.MayAlert(Status(statusEvent, 10), new NotificationOptions()));

    private static TemplateEvent Status(string statusEvent, int minute) => new()
    {
        EventId = $"{statusEvent}-{minute}",
        WabaId = Waba,
        Field = "message_template_status_update",
        Kind = EventKind.Status,
        TemplateId = TemplateId,
        TemplateName = "summer_sale",
        Language = "en_US",
        Event = statusEvent,
        Reason = "NONE",
        OccurredAt = T0.AddMinutes(minute),
        ReceivedAt = T0.AddHours(1),
        Raw = "{}",
    };
}
