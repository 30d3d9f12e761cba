using WebhookProcessor.Meta;

namespace WebhookProcessor.Catalog;

/// <summary>
/// Pure rules: given what the catalog holds for a template and one new event, what it holds next.
/// No I/O and no clock, so every rule is tested directly.
/// </summary>
public static class CatalogRules
{
    public static CatalogDecision Apply(TemplateRecord? current, TemplateEvent e)
    {
        if (e.TemplateId is not { } templateId || e.Kind == EventKind.Unknown)
        {
            return new CatalogDecision(null, Applied: false);
        }

        var record = current ?? new TemplateRecord
        {
            TemplateId = templateId,
            WabaId = e.WabaId,
            FirstSeenAt = e.ReceivedAt,
            LastEventAt = e.OccurredAt,
        };

        var next = e.Kind switch
        {
            EventKind.Status => ApplyStatus(record, e),
            EventKind.CategoryChangePending => ApplyCategoryNotice(record, e),
            EventKind.CategoryChanged => ApplyCategoryChanged(record, e),
            EventKind.Quality => IsNewer(e, record.QualityAt)
                ? record with { QualityScore = e.NewQualityScore ?? record.QualityScore, QualityAt = e.OccurredAt }
                : record,
            // An edit happened whatever order it arrives in; history deduplicates, so counting is safe.
            EventKind.Components => record with
            {
                EditCount = record.EditCount + 1,
                LastEditedAt = Max(record.LastEditedAt, e.OccurredAt),
            },
            EventKind.CorrectCategoryDetected => IsNewer(e, record.CategoryAt)
                ? record with { DetectedCorrectCategory = e.CorrectCategory, Category = e.Category ?? record.Category }
                : record,
            EventKind.Discovered => ApplyDiscovered(record, e),
            EventKind.Deleted => ApplyDeleted(record, e),
            EventKind.PendingChangeCleared => IsNewer(e, record.CategoryAt) && record.PendingCategoryChange?.To == e.NewCategory
                ? record with { Category = e.Category ?? record.Category, CategoryAt = e.OccurredAt, PendingCategoryChange = null }
                : record,
            _ => record,
        };

        var applied = current is null || next != record;
        next = WithIdentity(next, e);
        return new CatalogDecision(next, applied);
    }

    private static TemplateRecord ApplyStatus(TemplateRecord record, TemplateEvent e)
    {
        if (e.Event is null || !IsNewer(e, record.StatusAt))
        {
            return record;
        }

        var next = record with
        {
            Status = LastingStatus(record, e.Event),
            LastStatusEvent = e.Event,
            // A repeated ARCHIVED must not forget the status to restore.
            StatusBeforeArchive = e.Event == MetaValues.Archived && record.Status != MetaValues.Archived ? record.Status : record.StatusBeforeArchive,
            StatusAt = e.OccurredAt,
            LastReason = e.Reason,
            RejectionReason = e.RejectionReason,
            RejectionRecommendation = e.RejectionRecommendation,
            StatusInfoTitle = e.OtherInfoTitle,
            StatusInfoDescription = e.OtherInfoDescription,
            DisableDate = e.DisableDate ?? (e.Event is MetaValues.Reinstated or MetaValues.Approved ? null : record.DisableDate),
        };

        // Since 2025 a template can be approved in another category than the one requested.
        if (e.Category is not null && IsNewer(e, record.CategoryAt))
        {
            next = next with
            {
                Category = e.Category,
                CategoryAt = e.OccurredAt,
                PendingCategoryChange = record.PendingCategoryChange?.To == e.Category ? null : record.PendingCategoryChange,
            };
        }

        return next;
    }

    /// <summary>Events that are not lasting statuses leave (or restore) the status rather than becoming it.</summary>
    private static string LastingStatus(TemplateRecord record, string statusEvent) => statusEvent switch
    {
        MetaValues.Flagged or MetaValues.Locked => record.Status ?? MetaValues.Approved,
        MetaValues.Reinstated => MetaValues.Approved,
        MetaValues.Unarchived => record.StatusBeforeArchive ?? MetaValues.Approved,
        _ => statusEvent,
    };

    private static TemplateRecord ApplyCategoryNotice(TemplateRecord record, TemplateEvent e)
    {
        if (!IsNewer(e, record.CategoryAt))
        {
            return record;
        }

        var current = e.Category ?? record.Category;
        var known = record.PendingCategoryChange;
        var pending = e.NewCategory is { } target && target != current
            // A notice without a time (the Graph API gives none) keeps the time an earlier notice gave for the same change.
            ? new PendingCategoryChange(current, target, e.EffectiveAt ?? (known?.To == target ? known.EffectiveAt : null), e.OccurredAt)
            : null;
        return record with { Category = current, CategoryAt = e.OccurredAt, PendingCategoryChange = pending };
    }

    private static TemplateRecord ApplyCategoryChanged(TemplateRecord record, TemplateEvent e) =>
        IsNewer(e, record.CategoryAt)
            ? record with { Category = e.NewCategory ?? record.Category, CategoryAt = e.OccurredAt, PendingCategoryChange = null }
            : record;

    /// <summary>A template the Graph API described whole: each aspect it gives is taken unless the catalog's is newer.</summary>
    private static TemplateRecord ApplyDiscovered(TemplateRecord record, TemplateEvent e)
    {
        var next = record;
        if (e.Event is not null && IsNewer(e, record.StatusAt))
        {
            next = next with { Status = e.Event, LastStatusEvent = e.Event, StatusAt = e.OccurredAt, LastReason = e.Reason };
        }

        if (e.Category is not null && IsNewer(e, record.CategoryAt))
        {
            next = next with { Category = e.Category, CategoryAt = e.OccurredAt };
        }

        if (e.NewQualityScore is not null && IsNewer(e, record.QualityAt))
        {
            next = next with { QualityScore = e.NewQualityScore, QualityAt = e.OccurredAt };
        }

        return next;
    }

    /// <summary>Deleted at Meta: the status says so, and a change still pending for it will never happen.</summary>
    private static TemplateRecord ApplyDeleted(TemplateRecord record, TemplateEvent e)
    {
        if (!IsNewer(e, record.StatusAt))
        {
            return record;
        }

        var next = record with { Status = MetaValues.Deleted, LastStatusEvent = MetaValues.Deleted, StatusAt = e.OccurredAt };
        return IsNewer(e, record.CategoryAt) && record.PendingCategoryChange is not null
            ? next with { PendingCategoryChange = null, CategoryAt = e.OccurredAt }
            : next;
    }

    private static TemplateRecord WithIdentity(TemplateRecord record, TemplateEvent e)
    {
        var newest = e.OccurredAt >= record.LastEventAt;
        return record with
        {
            Name = newest || record.Name is null ? e.TemplateName ?? record.Name : record.Name,
            Language = newest || record.Language is null ? e.Language ?? record.Language : record.Language,
            WabaId = newest ? e.WabaId : record.WabaId,
            LastEventAt = Max(record.LastEventAt, e.OccurredAt)!.Value,
        };
    }

    /// <summary>Equal times count as newer: several events can share a second, and arrival order is the best tie-break there is.</summary>
    private static bool IsNewer(TemplateEvent e, DateTimeOffset? aspectAt) => aspectAt is null || e.OccurredAt >= aspectAt;

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset b) => a is null || b > a ? b : a;
}
