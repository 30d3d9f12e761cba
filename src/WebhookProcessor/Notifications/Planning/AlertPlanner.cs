using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WebhookProcessor.Catalog;
using WebhookProcessor.Meta;

namespace WebhookProcessor.Notifications;

/// <summary>
/// Decides who is told what about one event: a pure function of the event, whether it changed the
/// catalog, the owners and the per-kind switches. Its output is written in the same transaction as
/// the event's history row, so an alert exists exactly when its event was recorded.
/// </summary>
public static class AlertPlanner
{
    public static IReadOnlyList<PlannedAlert> Plan(TemplateEvent e, bool catalogApplied, IReadOnlyList<Owner> owners, NotificationOptions options)
    {
        // An event older than what the catalog shows (Meta does not guarantee order) describes a state
        // the template has already left: telling the owner now would mislead. It stays in history.
        if (!Wants(e, catalogApplied, options))
        {
            return [];
        }

        var kind = KindOf(e)!;
        var facts = FactsOf(e, kind);
        var resolved = OwnerRouting.Resolve(owners, e.WabaId, e.TemplateName);
        if (resolved is null)
        {
            // Nobody matches and there is no default owner: keep the alert visible to ops instead of dropping it.
            return [new PlannedAlert(NotificationId(e.EventId, kind, null, null), facts, null, null, null, null, OwnerLanguages.Spanish)];
        }

        return ForOwner(facts, resolved.Owner);
    }

    /// <summary>Whether <see cref="Plan"/> would plan anything, before paying for the owners.</summary>
    public static bool Wants(TemplateEvent e, bool catalogApplied, NotificationOptions options) =>
        catalogApplied && MayWant(e, options);

    /// <summary>Whether an event of this kind is alerted at all, whatever the catalog makes of it.</summary>
    public static bool MayWant(TemplateEvent e, NotificationOptions options) =>
        KindOf(e) is { } kind && options.IsEnabled(kind);

    /// <summary>One alert per e-mail address and one for the Teams webhook of <paramref name="owner"/>.</summary>
    public static IReadOnlyList<PlannedAlert> ForOwner(AlertFacts facts, Owner owner)
    {
        var alerts = new List<PlannedAlert>(owner.Emails.Count + 1);
        foreach (var email in owner.Emails)
        {
            alerts.Add(new PlannedAlert(NotificationId(facts.EventId, facts.Kind, AlertChannel.Email, email), facts, AlertChannel.Email, email, owner.Id, owner.DisplayName, owner.Language));
        }

        if (owner.TeamsWebhookUrl is { } url)
        {
            alerts.Add(new PlannedAlert(NotificationId(facts.EventId, facts.Kind, AlertChannel.Teams, url), facts, AlertChannel.Teams, url, owner.Id, owner.DisplayName, owner.Language));
        }

        return alerts;
    }

    public static string? KindOf(TemplateEvent e) => e.Kind switch
    {
        EventKind.CategoryChangePending => AlertKinds.CategoryChangeUpcoming,
        EventKind.CategoryChanged => AlertKinds.CategoryChanged,
        EventKind.Quality => AlertKinds.QualityChanged,
        EventKind.Components => AlertKinds.TemplateEdited,
        EventKind.CorrectCategoryDetected => AlertKinds.CorrectCategoryDetected,
        EventKind.Status => e.Event switch
        {
            MetaValues.Rejected => AlertKinds.TemplateRejected,
            MetaValues.Paused => AlertKinds.TemplatePaused,
            MetaValues.Disabled => AlertKinds.TemplateDisabled,
            MetaValues.Flagged => AlertKinds.TemplateFlagged,
            MetaValues.Approved => AlertKinds.TemplateApproved,
            MetaValues.Pending => AlertKinds.TemplatePending,
            MetaValues.Reinstated => AlertKinds.TemplateReinstated,
            MetaValues.Archived => AlertKinds.TemplateArchived,
            MetaValues.Deleted or MetaValues.PendingDeletion => AlertKinds.TemplateDeleted,
            null => null,
            _ => AlertKinds.TemplateStatusChanged,
        },
        _ => null,
    };

    public static AlertFacts FactsOf(TemplateEvent e, string kind) => new()
    {
        Kind = kind,
        EventId = e.EventId,
        WabaId = e.WabaId,
        TemplateId = e.TemplateId,
        TemplateName = e.TemplateName,
        Language = e.Language,
        StatusEvent = e.Event,
        Reason = e.Reason,
        // For a correct-category detection Meta's "category" is what the template was sent as and
        // correct_category what it should be; the alert shows them as current and new.
        Category = e.Category,
        PreviousCategory = e.PreviousCategory,
        NewCategory = e.Kind == EventKind.CorrectCategoryDetected ? e.CorrectCategory : e.NewCategory,
        EffectiveAt = e.Kind is EventKind.CategoryChangePending or EventKind.CategoryChanged ? e.EffectiveAt : null,
        EffectiveAtEstimated = e.Kind == EventKind.CategoryChangePending && e.EffectiveAt is not null && !HasScheduledTime(e.Raw),
        RejectionReason = e.RejectionReason,
        RejectionRecommendation = e.RejectionRecommendation,
        OtherInfoTitle = e.OtherInfoTitle,
        OtherInfoDescription = e.OtherInfoDescription,
        DisableDate = e.DisableDate,
        PreviousQualityScore = e.PreviousQualityScore,
        NewQualityScore = e.NewQualityScore,
        OccurredAt = e.OccurredAt,
    };

    /// <summary>
    /// Stable per event, kind, channel and recipient: the same event recorded again (it cannot be, history
    /// is insert-first) or a digest planned twice for the same day maps to the same outbox row.
    /// </summary>
    public static string NotificationId(string eventId, string kind, AlertChannel? channel, string? recipient)
    {
        var key = $"{eventId}\n{kind}\n{channel?.ToString() ?? "none"}\n{recipient?.ToLowerInvariant()}";
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    private static bool HasScheduledTime(string raw)
    {
        try
        {
            using var document = JsonDocument.Parse(raw);
            return document.RootElement.TryGetProperty(MetaKeys.Value, out var value)
                && value.ValueKind == JsonValueKind.Object
                && value.TryGetProperty(MetaKeys.CategoryUpdateTimestamp, out var stamp)
                && stamp.ValueKind is JsonValueKind.Number or JsonValueKind.String;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
