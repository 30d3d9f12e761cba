using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;
using WebhookProcessor.Processing;
using WebhookProcessor.UnitTests.Support;

namespace WebhookProcessor.UnitTests.Notifications;

public sealed class AlertPlannerTests
{
    private static readonly Owner Team = new()
    {
        Id = "payments",
        DisplayName = "Payments",
        Emails = ["ana@example.com", "luis@example.com"],
        TeamsWebhookUrl = "https://example.logic.azure.com/workflows/1?sig=abc",
        Language = "en",
        Match = new OwnerMatch(null, "payment_*"),
    };

    private static readonly NotificationOptions Defaults = new();

    private static TemplateEvent Status(string ev, string? reason = null, string name = "payment_reminder") =>
        Payloads.ParseSingle(Payloads.Body(Payloads.Change("message_template_status_update",
            $$"""{"event":"{{ev}}","message_template_id":1689556908129832,"message_template_name":"{{name}}","message_template_language":"es_MX","reason":{{(reason is null ? "null" : $"\"{reason}\"")}}}""")));

    private static TemplateEvent Upcoming(bool withTimestamp) =>
        Payloads.ParseSingle(Payloads.Body(Payloads.Change("template_category_update",
            $$"""{"message_template_id":1689556908129832,"message_template_name":"payment_reminder","message_template_language":"es_MX","correct_category":"MARKETING","new_category":"UTILITY"{{(withTimestamp ? ",\"category_update_timestamp\":1751333948" : string.Empty)}}}""")));

    [Theory]
    [InlineData("REJECTED", AlertKinds.TemplateRejected)]
    [InlineData("PAUSED", AlertKinds.TemplatePaused)]
    [InlineData("DISABLED", AlertKinds.TemplateDisabled)]
    [InlineData("FLAGGED", AlertKinds.TemplateFlagged)]
    public void Plan_DefaultKind_AlertsEveryRecipientOfTheOwner(string ev, string kind)
    {
        var alerts = AlertPlanner.Plan(Status(ev, "NONE"), catalogApplied: true, [Team], Defaults);

        Assert.Equal(3, alerts.Count);
        Assert.All(alerts, a => Assert.Equal(kind, a.Facts.Kind));
        Assert.All(alerts, a => Assert.Equal("payments", a.OwnerId));
        Assert.All(alerts, a => Assert.Equal("en", a.Language));
        Assert.Equal([AlertChannel.Email, AlertChannel.Email, AlertChannel.Teams], alerts.Select(a => a.Channel!.Value));
        Assert.Equal(["ana@example.com", "luis@example.com", Team.TeamsWebhookUrl], alerts.Select(a => a.Recipient));
        Assert.Equal(3, alerts.Select(a => a.NotificationId).Distinct().Count());
    }

    [Theory]
    [InlineData("APPROVED")]
    [InlineData("PENDING")]
    [InlineData("LOCKED")]
    public void Plan_OtherStatus_IsOffByDefault(string ev) =>
        Assert.Empty(AlertPlanner.Plan(Status(ev), true, [Team], Defaults));

    [Fact]
    public void Plan_KindSwitchesConfigured_AreFollowed()
    {
        var options = new NotificationOptions();
        options.Alerts[AlertKinds.TemplateApproved] = true;
        options.Alerts[AlertKinds.TemplateRejected] = false;

        Assert.Equal(AlertKinds.TemplateApproved, AlertPlanner.Plan(Status("APPROVED"), true, [Team], options)[0].Facts.Kind);
        Assert.Empty(AlertPlanner.Plan(Status("REJECTED", "SCAM"), true, [Team], options));
    }

    [Fact]
    public void Plan_EventThatDidNotChangeTheCatalog_AlertsNobody()
    {
        Assert.Empty(AlertPlanner.Plan(Status("REJECTED", "SCAM"), catalogApplied: false, [Team], Defaults));
    }

    [Fact]
    public void Plan_NoMatchingOrDefaultOwner_KeepsOneUnroutedAlert()
    {
        var alerts = AlertPlanner.Plan(Status("REJECTED", "INCORRECT_CATEGORY", name: "welcome"), true, [Team], Defaults);

        var alert = Assert.Single(alerts);
        Assert.Null(alert.Channel);
        Assert.Null(alert.OwnerId);
        Assert.Equal(AlertKinds.TemplateRejected, alert.Facts.Kind);
        Assert.Equal("INCORRECT_CATEGORY", alert.Facts.Reason);
    }

    [Fact]
    public void Plan_SameEventAndRecipient_GivesStableIds()
    {
        var e = Status("PAUSED");
        var first = AlertPlanner.Plan(e, true, [Team], Defaults).Select(a => a.NotificationId);
        var second = AlertPlanner.Plan(e, true, [Team], Defaults).Select(a => a.NotificationId);
        Assert.Equal(first, second);

        var other = AlertPlanner.Plan(Status("DISABLED"), true, [Team], Defaults).Select(a => a.NotificationId);
        Assert.Empty(first.Intersect(other));
    }

    [Fact]
    public void Plan_UpcomingCategoryChange_CarriesBothCategoriesAndTheScheduledTime()
    {
        var facts = Assert.Single(AlertPlanner.Plan(Upcoming(withTimestamp: true), true, [Team with { Emails = [], }], Defaults)).Facts;

        Assert.Equal(AlertKinds.CategoryChangeUpcoming, facts.Kind);
        Assert.Equal("UTILITY", facts.Category);
        Assert.Equal("MARKETING", facts.NewCategory);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1751333948), facts.EffectiveAt);
        Assert.False(facts.EffectiveAtEstimated);
    }

    [Fact]
    public void Plan_UpcomingChangeWithoutTimestamp_IsFlaggedAsEstimated()
    {
        var facts = AlertPlanner.Plan(Upcoming(withTimestamp: false), true, [Team], Defaults)[0].Facts;

        Assert.True(facts.EffectiveAtEstimated);
        Assert.Equal(new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero), facts.EffectiveAt);
    }

    [Fact]
    public void Plan_CompletedCategoryChange_NamesPreviousAndNewCategory()
    {
        var e = Payloads.ParseSingle(Payloads.Body(Payloads.Change("template_category_update",
            """{"message_template_id":1689556908129832,"message_template_name":"payment_reminder","message_template_language":"es_MX","previous_category":"UTILITY","new_category":"MARKETING"}""")));

        var facts = AlertPlanner.Plan(e, true, [Team], Defaults)[0].Facts;

        Assert.Equal(AlertKinds.CategoryChanged, facts.Kind);
        Assert.Equal("UTILITY", facts.PreviousCategory);
        Assert.Equal("MARKETING", facts.NewCategory);
    }
}
