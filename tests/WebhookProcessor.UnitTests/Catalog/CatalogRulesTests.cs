using WebhookProcessor.Catalog;
using WebhookProcessor.Processing;

namespace WebhookProcessor.UnitTests.Catalog;

public sealed class CatalogRulesTests
{
    private const long TemplateId = 1304694804498707;
    private const string Waba = "109876543210987";

    private static readonly DateTimeOffset T0 = new(2026, 6, 12, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Received = new(2026, 6, 20, 8, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int minutes) => T0.AddMinutes(minutes);

    private static TemplateEvent Base(EventKind kind, DateTimeOffset at) => new()
    {
        EventId = $"{kind}-{at.ToUnixTimeSeconds()}",
        WabaId = Waba,
        Field = "test_field",
        Kind = kind,
        TemplateId = TemplateId,
        TemplateName = "summer_sale_announcement",
        Language = "en_US",
        OccurredAt = at,
        ReceivedAt = Received,
        Raw = "{}",
    };

    private static TemplateEvent Status(string statusEvent, DateTimeOffset at, string? category = null) =>
        Base(EventKind.Status, at) with { Event = statusEvent, Category = category, Reason = "NONE" };

    private static TemplateEvent Notice(string current, string target, DateTimeOffset effectiveAt, DateTimeOffset at) =>
        Base(EventKind.CategoryChangePending, at) with { Category = current, NewCategory = target, CorrectCategory = target, EffectiveAt = effectiveAt };

    private static TemplateEvent Changed(string previous, string next, DateTimeOffset at) =>
        Base(EventKind.CategoryChanged, at) with { PreviousCategory = previous, NewCategory = next, Category = next, EffectiveAt = at };

    private static TemplateEvent Quality(string previous, string next, DateTimeOffset at) =>
        Base(EventKind.Quality, at) with { PreviousQualityScore = previous, NewQualityScore = next };

    private static TemplateEvent Components(DateTimeOffset at) => Base(EventKind.Components, at);

    /// <summary>Applies events in the given (arrival) order and returns the final record.</summary>
    private static TemplateRecord Run(params TemplateEvent[] events)
    {
        TemplateRecord? record = null;
        foreach (var e in events)
        {
            record = CatalogRules.Apply(record, e).Next;
            Assert.NotNull(record);
        }

        return record!;
    }

    // ---- creation ----

    [Fact]
    public void Apply_FirstEvent_CreatesRecordFromIt()
    {
        var decision = CatalogRules.Apply(null, Status("APPROVED", At(10), "MARKETING"));

        Assert.True(decision.Applied);
        var record = Assert.IsType<TemplateRecord>(decision.Next);
        Assert.Equal(TemplateId, record.TemplateId);
        Assert.Equal(Waba, record.WabaId);
        Assert.Equal("summer_sale_announcement", record.Name);
        Assert.Equal("en_US", record.Language);
        Assert.Equal("APPROVED", record.Status);
        Assert.Equal("APPROVED", record.LastStatusEvent);
        Assert.Equal(At(10), record.StatusAt);
        Assert.Equal("MARKETING", record.Category);
        Assert.Equal(At(10), record.CategoryAt);
        Assert.Equal("NONE", record.LastReason);
        Assert.Null(record.PendingCategoryChange);
        Assert.Null(record.QualityScore);
        Assert.Equal(0, record.EditCount);
        Assert.Equal(Received, record.FirstSeenAt);
        Assert.Equal(At(10), record.LastEventAt);
    }

    [Fact]
    public void Apply_FirstEventIsQuality_CreatesRecordWithoutStatus()
    {
        var decision = CatalogRules.Apply(null, Quality("GREEN", "YELLOW", At(1)));

        Assert.True(decision.Applied);
        Assert.Equal("YELLOW", decision.Next!.QualityScore);
        Assert.Equal(At(1), decision.Next.QualityAt);
        Assert.Null(decision.Next.Status);
        Assert.Null(decision.Next.Category);
    }

    [Fact]
    public void Apply_UnknownKind_StoresNothing()
    {
        var current = Run(Status("APPROVED", At(0)));
        var unknown = Base(EventKind.Unknown, At(5));

        var withoutRecord = CatalogRules.Apply(null, unknown);
        var withRecord = CatalogRules.Apply(current, unknown);

        Assert.Null(withoutRecord.Next);
        Assert.False(withoutRecord.Applied);
        Assert.Null(withRecord.Next);
        Assert.False(withRecord.Applied);
    }

    [Fact]
    public void Apply_NoTemplateId_StoresNothing()
    {
        var decision = CatalogRules.Apply(null, Status("APPROVED", At(0)) with { TemplateId = null });

        Assert.Null(decision.Next);
        Assert.False(decision.Applied);
    }

    // ---- status ----

    [Fact]
    public void Apply_StatusSequenceInOrder_FollowsEachStatus()
    {
        var record = Run(
            Status("PENDING", At(0), "UTILITY"),
            Status("APPROVED", At(10), "UTILITY"),
            Status("PAUSED", At(20)) with { OtherInfoTitle = "FIRST_PAUSE", OtherInfoDescription = "paused for 3 hours" });

        Assert.Equal("PAUSED", record.Status);
        Assert.Equal("PAUSED", record.LastStatusEvent);
        Assert.Equal(At(20), record.StatusAt);
        Assert.Equal("FIRST_PAUSE", record.StatusInfoTitle);
        Assert.Equal("paused for 3 hours", record.StatusInfoDescription);
        Assert.Equal("UTILITY", record.Category);
        Assert.Equal(At(10), record.CategoryAt);
    }

    [Fact]
    public void Apply_StatusAfterPause_ClearsOtherInfo()
    {
        var record = Run(
            Status("PAUSED", At(0)) with { OtherInfoTitle = "FIRST_PAUSE" },
            Status("APPROVED", At(10)));

        Assert.Equal("APPROVED", record.Status);
        Assert.Null(record.StatusInfoTitle);
    }

    [Fact]
    public void Apply_OlderStatusArrivingLate_DoesNotRollBackAndIsNotApplied()
    {
        var current = Run(Status("PENDING", At(0)), Status("APPROVED", At(10)));

        var decision = CatalogRules.Apply(current, Status("PENDING", At(5)));

        Assert.False(decision.Applied);
        Assert.Equal("APPROVED", decision.Next!.Status);
        Assert.Equal("APPROVED", decision.Next.LastStatusEvent);
        Assert.Equal(At(10), decision.Next.StatusAt);
        Assert.Equal(At(10), decision.Next.LastEventAt);
    }

    [Fact]
    public void Apply_StatusWithSameTime_Applies()
    {
        var current = Run(Status("APPROVED", At(10)));

        var decision = CatalogRules.Apply(current, Status("PAUSED", At(10)));

        Assert.True(decision.Applied);
        Assert.Equal("PAUSED", decision.Next!.Status);
    }

    [Fact]
    public void Apply_SameStatusEventTwice_SecondIsNotApplied()
    {
        var e = Status("APPROVED", At(10), "UTILITY");
        var current = Run(e);

        var decision = CatalogRules.Apply(current, e);

        Assert.False(decision.Applied);
        Assert.Equal(current, decision.Next);
    }

    [Fact]
    public void Apply_StatusWithoutEventValue_LeavesStatusAlone()
    {
        var current = Run(Status("APPROVED", At(0)));

        var decision = CatalogRules.Apply(current, Status("APPROVED", At(10)) with { Event = null });

        Assert.False(decision.Applied);
        Assert.Equal("APPROVED", decision.Next!.Status);
        Assert.Equal(At(0), decision.Next.StatusAt);
    }

    [Fact]
    public void Apply_ApprovedInAnotherCategory_UpdatesCategory()
    {
        var record = Run(Status("PENDING", At(0), "UTILITY"), Status("APPROVED", At(10), "MARKETING"));

        Assert.Equal("APPROVED", record.Status);
        Assert.Equal("MARKETING", record.Category);
        Assert.Equal(At(10), record.CategoryAt);
    }

    [Fact]
    public void Apply_StatusNewerThanStatusButOlderThanCategory_UpdatesStatusOnly()
    {
        var current = Run(Changed("UTILITY", "MARKETING", At(30)));

        var decision = CatalogRules.Apply(current, Status("APPROVED", At(10), "UTILITY"));

        Assert.True(decision.Applied);
        Assert.Equal("APPROVED", decision.Next!.Status);
        Assert.Equal("MARKETING", decision.Next.Category);
        Assert.Equal(At(30), decision.Next.CategoryAt);
    }

    [Fact]
    public void Apply_UnknownStatusValue_BecomesStatusVerbatim()
    {
        var record = Run(Status("APPROVED", At(0)), Status("SOMETHING_NEW", At(1)));

        Assert.Equal("SOMETHING_NEW", record.Status);
        Assert.Equal("SOMETHING_NEW", record.LastStatusEvent);
    }

    [Fact]
    public void Apply_Flagged_KeepsApprovedAndRecordsDisableDate()
    {
        var disableDate = new DateTimeOffset(2026, 6, 15, 0, 0, 0, TimeSpan.Zero);

        var record = Run(Status("APPROVED", At(0)), Status("FLAGGED", At(10)) with { DisableDate = disableDate });

        Assert.Equal("APPROVED", record.Status);
        Assert.Equal("FLAGGED", record.LastStatusEvent);
        Assert.Equal(disableDate, record.DisableDate);
        Assert.Equal(At(10), record.StatusAt);
    }

    [Fact]
    public void Apply_FlaggedAsFirstEvent_AssumesApproved()
    {
        var record = Run(Status("FLAGGED", At(0)));

        Assert.Equal("APPROVED", record.Status);
        Assert.Equal("FLAGGED", record.LastStatusEvent);
    }

    [Fact]
    public void Apply_FlaggedWhilePaused_KeepsPaused()
    {
        var record = Run(Status("PAUSED", At(0)), Status("FLAGGED", At(10)));

        Assert.Equal("PAUSED", record.Status);
        Assert.Equal("FLAGGED", record.LastStatusEvent);
    }

    [Fact]
    public void Apply_Locked_KeepsStatus()
    {
        var record = Run(Status("REJECTED", At(0)), Status("LOCKED", At(10)));

        Assert.Equal("REJECTED", record.Status);
        Assert.Equal("LOCKED", record.LastStatusEvent);
    }

    [Fact]
    public void Apply_DisabledThenReinstated_IsApprovedAgainWithoutDisableDate()
    {
        var disableDate = new DateTimeOffset(2026, 6, 15, 0, 0, 0, TimeSpan.Zero);

        var disabled = Run(
            Status("APPROVED", At(0)),
            Status("FLAGGED", At(10)) with { DisableDate = disableDate },
            Status("DISABLED", At(20)) with { DisableDate = disableDate });
        var reinstated = CatalogRules.Apply(disabled, Status("REINSTATED", At(30))).Next!;

        Assert.Equal("DISABLED", disabled.Status);
        Assert.Equal(disableDate, disabled.DisableDate);
        Assert.Equal("APPROVED", reinstated.Status);
        Assert.Equal("REINSTATED", reinstated.LastStatusEvent);
        Assert.Null(reinstated.DisableDate);
    }

    [Fact]
    public void Apply_PausedAfterFlagged_KeepsKnownDisableDate()
    {
        var disableDate = new DateTimeOffset(2026, 6, 15, 0, 0, 0, TimeSpan.Zero);

        var record = Run(Status("FLAGGED", At(0)) with { DisableDate = disableDate }, Status("PAUSED", At(10)));

        Assert.Equal("PAUSED", record.Status);
        Assert.Equal(disableDate, record.DisableDate);
    }

    [Fact]
    public void Apply_ApprovedAfterFlagged_ClearsDisableDate()
    {
        var record = Run(
            Status("FLAGGED", At(0)) with { DisableDate = new DateTimeOffset(2026, 6, 15, 0, 0, 0, TimeSpan.Zero) },
            Status("APPROVED", At(10)));

        Assert.Null(record.DisableDate);
    }

    [Fact]
    public void Apply_ArchivedThenUnarchived_RestoresStatusBeforeArchive()
    {
        var archived = Run(Status("REJECTED", At(0)), Status("ARCHIVED", At(10)));
        var unarchived = CatalogRules.Apply(archived, Status("UNARCHIVED", At(20))).Next!;

        Assert.Equal("ARCHIVED", archived.Status);
        Assert.Equal("REJECTED", archived.StatusBeforeArchive);
        Assert.Equal("REJECTED", unarchived.Status);
        Assert.Equal("UNARCHIVED", unarchived.LastStatusEvent);
    }

    [Fact]
    public void Apply_ArchivedTwiceThenUnarchived_StillRestoresStatusBeforeFirstArchive()
    {
        var record = Run(Status("REJECTED", At(0)), Status("ARCHIVED", At(10)), Status("ARCHIVED", At(20)), Status("UNARCHIVED", At(30)));

        Assert.Equal("REJECTED", record.Status);
    }

    [Fact]
    public void Apply_UnarchivedWithoutKnownPriorStatus_IsApproved()
    {
        var record = Run(Status("ARCHIVED", At(0)), Status("UNARCHIVED", At(10)));

        Assert.Equal("APPROVED", record.Status);
    }

    [Fact]
    public void Apply_RejectedWithRejectionInfo_StoresReasonAndRecommendation()
    {
        var record = Run(Status("REJECTED", At(0)) with
        {
            Reason = "INVALID_FORMAT",
            RejectionReason = "Parameters are adjacent.",
            RejectionRecommendation = "Separate the parameters.",
        });

        Assert.Equal("REJECTED", record.Status);
        Assert.Equal("INVALID_FORMAT", record.LastReason);
        Assert.Equal("Parameters are adjacent.", record.RejectionReason);
        Assert.Equal("Separate the parameters.", record.RejectionRecommendation);
    }

    [Fact]
    public void Apply_ApprovedAfterRejection_ClearsRejectionDetails()
    {
        var record = Run(
            Status("REJECTED", At(0)) with { Reason = "INVALID_FORMAT", RejectionReason = "r", RejectionRecommendation = "m" },
            Status("APPROVED", At(10)) with { Reason = null });

        Assert.Equal("APPROVED", record.Status);
        Assert.Null(record.LastReason);
        Assert.Null(record.RejectionReason);
        Assert.Null(record.RejectionRecommendation);
    }

    // ---- category ----

    [Fact]
    public void Apply_CategoryNotice_SetsPendingChange()
    {
        var effective = At(24 * 60);

        var decision = CatalogRules.Apply(Run(Status("APPROVED", At(0), "UTILITY")), Notice("UTILITY", "MARKETING", effective, At(10)));

        Assert.True(decision.Applied);
        var record = decision.Next!;
        Assert.Equal("UTILITY", record.Category);
        Assert.Equal(At(10), record.CategoryAt);
        Assert.Equal(new PendingCategoryChange("UTILITY", "MARKETING", effective, At(10)), record.PendingCategoryChange);
        Assert.Equal("APPROVED", record.Status);
    }

    [Fact]
    public void Apply_NoticeAsFirstEvent_SetsCategoryAndPending()
    {
        var record = Run(Notice("UTILITY", "MARKETING", At(100), At(0)));

        Assert.Equal("UTILITY", record.Category);
        Assert.Equal("MARKETING", record.PendingCategoryChange!.To);
        Assert.Equal("UTILITY", record.PendingCategoryChange.From);
        Assert.Null(record.Status);
    }

    [Fact]
    public void Apply_NoticeWithoutCurrentCategory_UsesCatalogCategoryAsFrom()
    {
        var current = Run(Status("APPROVED", At(0), "UTILITY"));
        var notice = Notice("ignored", "MARKETING", At(100), At(10)) with { Category = null };

        var record = CatalogRules.Apply(current, notice).Next!;

        Assert.Equal("UTILITY", record.Category);
        Assert.Equal("UTILITY", record.PendingCategoryChange!.From);
    }

    [Fact]
    public void Apply_NoticeWhereCorrectEqualsCurrent_SetsNoPending()
    {
        var record = Run(Notice("MARKETING", "MARKETING", At(100), At(0)));

        Assert.Null(record.PendingCategoryChange);
        Assert.Equal("MARKETING", record.Category);
    }

    [Fact]
    public void Apply_NoticeWithoutTarget_SetsNoPending()
    {
        var record = Run(Notice("UTILITY", "MARKETING", At(100), At(0)) with { NewCategory = null, CorrectCategory = null });

        Assert.Null(record.PendingCategoryChange);
    }

    [Fact]
    public void Apply_CompletedChange_SetsCategoryAndClearsPending()
    {
        var record = Run(
            Notice("UTILITY", "MARKETING", At(24 * 60), At(0)),
            Changed("UTILITY", "MARKETING", At(24 * 60)));

        Assert.Equal("MARKETING", record.Category);
        Assert.Equal(At(24 * 60), record.CategoryAt);
        Assert.Null(record.PendingCategoryChange);
    }

    [Fact]
    public void Apply_OlderCompletedChange_DoesNotClearNewerNotice()
    {
        var current = Run(
            Changed("MARKETING", "UTILITY", At(0)),
            Notice("UTILITY", "MARKETING", At(24 * 60), At(60)));

        var decision = CatalogRules.Apply(current, Changed("AUTHENTICATION", "MARKETING", At(30)));

        Assert.False(decision.Applied);
        Assert.Equal("UTILITY", decision.Next!.Category);
        Assert.Equal(At(60), decision.Next.CategoryAt);
        Assert.Equal("MARKETING", decision.Next.PendingCategoryChange!.To);
    }

    [Fact]
    public void Apply_OlderCategoryChange_DoesNotRollBackCategory()
    {
        var current = Run(Changed("UTILITY", "MARKETING", At(0)), Changed("MARKETING", "UTILITY", At(15 * 60)));

        var decision = CatalogRules.Apply(current, Changed("UTILITY", "MARKETING", At(5)));

        Assert.False(decision.Applied);
        Assert.Equal("UTILITY", decision.Next!.Category);
        Assert.Equal(At(15 * 60), decision.Next.CategoryAt);
    }

    [Fact]
    public void Apply_OlderNotice_DoesNotSetPending()
    {
        var current = Run(Changed("UTILITY", "MARKETING", At(60)));

        var decision = CatalogRules.Apply(current, Notice("UTILITY", "MARKETING", At(24 * 60), At(0)));

        Assert.False(decision.Applied);
        Assert.Null(decision.Next!.PendingCategoryChange);
        Assert.Equal("MARKETING", decision.Next.Category);
    }

    [Fact]
    public void Apply_StatusWithPendingTargetCategory_ClearsPending()
    {
        var current = Run(Notice("UTILITY", "MARKETING", At(24 * 60), At(0)));

        var record = CatalogRules.Apply(current, Status("APPROVED", At(10), "MARKETING")).Next!;

        Assert.Null(record.PendingCategoryChange);
        Assert.Equal("MARKETING", record.Category);
    }

    [Fact]
    public void Apply_StatusWithCurrentCategory_KeepsPending()
    {
        var current = Run(Notice("UTILITY", "MARKETING", At(24 * 60), At(0)));

        var record = CatalogRules.Apply(current, Status("PAUSED", At(10), "UTILITY")).Next!;

        Assert.Equal("MARKETING", record.PendingCategoryChange!.To);
        Assert.Equal("UTILITY", record.Category);
        Assert.Equal("PAUSED", record.Status);
    }

    [Fact]
    public void Apply_CorrectCategoryDetected_StoresDetectedCategory()
    {
        var detected = Base(EventKind.CorrectCategoryDetected, At(10)) with { Category = "UTILITY", CorrectCategory = "MARKETING" };

        var decision = CatalogRules.Apply(Run(Status("APPROVED", At(0))), detected);

        Assert.True(decision.Applied);
        Assert.Equal("MARKETING", decision.Next!.DetectedCorrectCategory);
        Assert.Equal("UTILITY", decision.Next.Category);
    }

    // ---- quality ----

    [Fact]
    public void Apply_QualityUpdates_KeepNewestScore()
    {
        var record = Run(Quality("GREEN", "YELLOW", At(0)), Quality("YELLOW", "RED", At(10)));

        Assert.Equal("RED", record.QualityScore);
        Assert.Equal(At(10), record.QualityAt);
    }

    [Fact]
    public void Apply_OlderQuality_DoesNotRollBackAndIsNotApplied()
    {
        var current = Run(Quality("GREEN", "YELLOW", At(0)), Quality("YELLOW", "RED", At(10)));

        var decision = CatalogRules.Apply(current, Quality("GREEN", "YELLOW", At(5)));

        Assert.False(decision.Applied);
        Assert.Equal("RED", decision.Next!.QualityScore);
        Assert.Equal(At(10), decision.Next.QualityAt);
    }

    [Fact]
    public void Apply_QualityWithSameTime_Applies()
    {
        var current = Run(Quality("GREEN", "YELLOW", At(10)));

        var decision = CatalogRules.Apply(current, Quality("YELLOW", "GREEN", At(10)));

        Assert.True(decision.Applied);
        Assert.Equal("GREEN", decision.Next!.QualityScore);
    }

    [Fact]
    public void Apply_QualityEvent_DoesNotTouchStatusOrCategory()
    {
        var record = Run(Status("APPROVED", At(0), "MARKETING"), Quality("GREEN", "RED", At(10)));

        Assert.Equal("APPROVED", record.Status);
        Assert.Equal("MARKETING", record.Category);
        Assert.Equal(At(0), record.StatusAt);
    }

    // ---- components ----

    [Fact]
    public void Apply_ComponentsUpdates_CountEditsAndKeepLatestEditTime()
    {
        var record = Run(Components(At(10)), Components(At(30)));

        Assert.Equal(2, record.EditCount);
        Assert.Equal(At(30), record.LastEditedAt);
    }

    [Fact]
    public void Apply_OlderComponentsUpdate_StillCountsEditAndKeepsLatestTime()
    {
        var current = Run(Status("APPROVED", At(0)), Components(At(30)));

        var decision = CatalogRules.Apply(current, Components(At(10)));

        Assert.True(decision.Applied);
        Assert.Equal(2, decision.Next!.EditCount);
        Assert.Equal(At(30), decision.Next.LastEditedAt);
        Assert.Equal(At(30), decision.Next.LastEventAt);
    }

    // ---- identity ----

    [Fact]
    public void Apply_NewerEvent_TakesNameLanguageAndWaba()
    {
        var current = Run(Status("APPROVED", At(0)));
        var renamed = Quality("GREEN", "GREEN", At(10)) with { TemplateName = "summer_sale_v2", Language = "en_GB", WabaId = "555" };

        var record = CatalogRules.Apply(current, renamed).Next!;

        Assert.Equal("summer_sale_v2", record.Name);
        Assert.Equal("en_GB", record.Language);
        Assert.Equal("555", record.WabaId);
        Assert.Equal(At(10), record.LastEventAt);
    }

    [Fact]
    public void Apply_OlderEvent_KeepsNewestNameAndLanguage()
    {
        var current = Run(Status("APPROVED", At(10)));
        var older = Components(At(0)) with { TemplateName = "old_name", Language = "de", WabaId = "555" };

        var record = CatalogRules.Apply(current, older).Next!;

        Assert.Equal("summer_sale_announcement", record.Name);
        Assert.Equal("en_US", record.Language);
        Assert.Equal(Waba, record.WabaId);
        Assert.Equal(At(10), record.LastEventAt);
    }

    [Fact]
    public void Apply_OlderEventWithNameWhenNoneKnown_FillsName()
    {
        var current = Run(Status("APPROVED", At(10)) with { TemplateName = null, Language = null });
        var older = Components(At(0)) with { TemplateName = "from_older", Language = "fr" };

        var record = CatalogRules.Apply(current, older).Next!;

        Assert.Equal("from_older", record.Name);
        Assert.Equal("fr", record.Language);
    }

    [Fact]
    public void Apply_NewerEventWithoutName_KeepsKnownName()
    {
        var current = Run(Status("APPROVED", At(0)));

        var record = CatalogRules.Apply(current, Status("PAUSED", At(10)) with { TemplateName = null, Language = null }).Next!;

        Assert.Equal("summer_sale_announcement", record.Name);
        Assert.Equal("en_US", record.Language);
    }

    [Fact]
    public void Apply_LaterEvent_KeepsFirstSeenAt()
    {
        var current = Run(Status("APPROVED", At(0)));

        var record = CatalogRules.Apply(current, Status("PAUSED", At(10)) with { ReceivedAt = Received.AddDays(3) }).Next!;

        Assert.Equal(Received, record.FirstSeenAt);
    }
}
