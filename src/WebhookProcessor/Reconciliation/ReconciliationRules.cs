using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WebhookProcessor.Catalog;
using WebhookProcessor.Meta;

namespace WebhookProcessor.Reconciliation;

/// <summary>
/// What the Graph API's answer for one template means for the catalog, as events. Pure: no I/O, no clock.
/// The events go through the same decision as webhooks (<c>TemplateDecision</c>), so the catalog rules,
/// history and alerts are those of a webhook; only the source and the raw body differ. Each event is
/// timed at the fetch, so a webhook older than the answer never rolls it back and a newer one wins.
/// </summary>
/// <remarks>
/// Event ids are a hash of the account, the template, the kind, the catalog's state before and the
/// API's state after: two runs that see the same difference (the CLI and the service at once, or a run
/// retried after a crash) record it once and alert once.
/// </remarks>
public static class ReconciliationRules
{
    /// <summary>The history field of events only reconciliation makes (discovered, deleted, pending change cleared).</summary>
    public const string Field = "template_reconciliation";

    public static IReadOnlyList<TemplateEvent> Compare(TemplateRecord? current, GraphTemplate api, ReconciliationContext context)
    {
        var events = new List<TemplateEvent>(3);
        if (current is null)
        {
            Discover(api, context, events);
            return events;
        }

        if (api.Status is { } status && !Same(status, current.Status))
        {
            events.Add(Make(context, api, EventKind.Status, MetaFields.StatusUpdate, current.StatusAt,
                new() { ["status"] = current.Status }, new() { ["status"] = status }) with
            {
                Event = status,
                Reason = RejectedReason(api),
            });
        }

        // A template the catalog knows from webhooks that never named its category (older status webhooks
        // do not) or its quality: the API's values fill the gap. Nothing changed, so nobody is told.
        var fillCategory = current.Category is null ? api.Category : null;
        var fillQuality = current.QualityScore is null ? api.QualityScore?.Score : null;
        if (fillCategory is not null || fillQuality is not null)
        {
            events.Add(Make(context, api, EventKind.Discovered, Field, current.CategoryAt,
                new() { ["category"] = current.Category, ["quality"] = current.QualityScore },
                new() { ["category"] = fillCategory, ["quality"] = fillQuality }) with
            {
                Category = fillCategory,
                NewQualityScore = fillQuality,
            });
        }

        // The guide's comparison, first half: category == correct_category means the change happened; any
        // category other than the catalog's is a completed change the catalog missed.
        var categoryChanged = fillCategory is null && api.Category is { } category && !Same(category, current.Category);
        if (categoryChanged)
        {
            var pending = current.PendingCategoryChange;
            events.Add(Make(context, api, EventKind.CategoryChanged, MetaFields.CategoryUpdate, current.CategoryAt,
                new() { ["category"] = current.Category, ["pendingTo"] = pending?.To }, new() { ["category"] = api.Category }) with
            {
                Category = api.Category,
                PreviousCategory = current.Category,
                NewCategory = api.Category,
                EffectiveAt = Same(pending?.To, api.Category) ? pending!.EffectiveAt : null,
            });
        }

        // Second half: a correct_category other than the category is a change still to come. A change the
        // catalog already shows to the same target keeps the time its notice gave.
        var pendingAfter = categoryChanged ? null : current.PendingCategoryChange;
        if (PendingTarget(api) is { } target)
        {
            if (!Same(pendingAfter?.To, target))
            {
                events.Add(Upcoming(api, context, current.CategoryAt, pendingAfter?.To, target));
            }
        }
        else if (pendingAfter is { } shown && (shown.EffectiveAt is null || shown.EffectiveAt <= context.FetchedAt))
        {
            // Nothing pending at Meta, the old category still there, and the change's time has passed (or was
            // never known): it did not happen. Recorded, so the catalog stops showing it.
            events.Add(Make(context, api, EventKind.PendingChangeCleared, Field, current.CategoryAt,
                new() { ["category"] = current.Category, ["pendingTo"] = shown.To, ["effectiveAt"] = Time(shown.EffectiveAt) },
                new() { ["category"] = api.Category ?? current.Category, ["correctCategory"] = api.CorrectCategory }) with
            {
                Category = api.Category ?? current.Category,
                PreviousCategory = shown.From,
                NewCategory = shown.To,
                EffectiveAt = shown.EffectiveAt,
            });
        }

        if (fillQuality is null && api.QualityScore?.Score is { } score && !Same(score, current.QualityScore))
        {
            events.Add(Make(context, api, EventKind.Quality, MetaFields.QualityUpdate, current.QualityAt,
                new() { ["quality"] = current.QualityScore }, new() { ["quality"] = score }) with
            {
                PreviousQualityScore = current.QualityScore,
                NewQualityScore = score,
            });
        }

        return events;
    }

    /// <summary>
    /// The event for a catalog template that a complete listing of its account did not contain, or null
    /// when the catalog already shows it deleted.
    /// </summary>
    public static TemplateEvent? Deleted(TemplateRecord current, ReconciliationContext context) =>
        Same(current.Status, MetaValues.Deleted)
            ? null
            : Make(context, current.TemplateId, null, EventKind.Deleted, Field, current.StatusAt,
                new() { ["status"] = current.Status }, new() { ["status"] = MetaValues.Deleted }) with
            {
                TemplateName = current.Name,
                Language = current.Language,
                Event = MetaValues.Deleted,
            };

    /// <summary>The category a change is pending to, by the guide's reading of <c>correct_category</c>, or null.</summary>
    public static string? PendingTarget(GraphTemplate api) =>
        string.IsNullOrWhiteSpace(api.CorrectCategory) || Same(api.CorrectCategory, api.Category) ? null : api.CorrectCategory;

    /// <summary>
    /// A template the catalog does not know. Outside a bootstrap a webhook was missed, so its status goes
    /// through the decision as the webhook would have (a REJECTED one alerts); at bootstrap it is simply
    /// there. Either way an upcoming change is actionable and alerts.
    /// </summary>
    private static void Discover(GraphTemplate api, ReconciliationContext context, List<TemplateEvent> events)
    {
        if (!context.Bootstrap && api.Status is { } status)
        {
            events.Add(Make(context, api, EventKind.Status, MetaFields.StatusUpdate, null,
                new() { ["status"] = null }, new() { ["status"] = status }) with
            {
                Event = status,
                Reason = RejectedReason(api),
            });
        }

        events.Add(Make(context, api, EventKind.Discovered, Field, null, [],
            new() { ["status"] = api.Status, ["category"] = api.Category, ["quality"] = api.QualityScore?.Score }) with
        {
            Event = api.Status,
            Reason = RejectedReason(api),
            Category = api.Category,
            PreviousCategory = api.PreviousCategory,
            CorrectCategory = NullIfBlank(api.CorrectCategory),
            NewQualityScore = api.QualityScore?.Score,
        });

        if (PendingTarget(api) is { } target)
        {
            events.Add(Upcoming(api, context, null, null, target));
        }
    }

    private static TemplateEvent Upcoming(GraphTemplate api, ReconciliationContext context, DateTimeOffset? since, string? shownTo, string target) =>
        Make(context, api, EventKind.CategoryChangePending, MetaFields.CategoryUpdate, since,
            new() { ["pendingTo"] = shownTo }, new() { ["category"] = api.Category, ["correctCategory"] = target }) with
        {
            Category = api.Category,
            PreviousCategory = api.Category,
            NewCategory = target,
            CorrectCategory = target,
            // The Graph API gives no date for it: unknown, and shown as unknown.
            EffectiveAt = null,
        };

    private static TemplateEvent Make(
        ReconciliationContext context,
        GraphTemplate api,
        EventKind kind,
        string field,
        DateTimeOffset? since,
        Dictionary<string, string?> before,
        Dictionary<string, string?> after) => Make(context, api.Id, api, kind, field, since, before, after);

    private static TemplateEvent Make(
        ReconciliationContext context,
        long templateId,
        GraphTemplate? api,
        EventKind kind,
        string field,
        DateTimeOffset? since,
        Dictionary<string, string?> before,
        Dictionary<string, string?> after)
    {
        return new TemplateEvent
        {
            EventId = EventId(context.WabaId, templateId, kind, since, before, after),
            WabaId = context.WabaId,
            Field = field,
            Kind = kind,
            TemplateId = templateId,
            TemplateName = api?.Name,
            Language = api?.Language,
            OccurredAt = context.FetchedAt,
            ReceivedAt = context.FetchedAt,
            Source = EventSource.Reconciliation,
            Raw = Raw(context, api, kind, before, after),
        };
    }

    private static string EventId(string wabaId, long templateId, EventKind kind, DateTimeOffset? since, Dictionary<string, string?> before, Dictionary<string, string?> after)
    {
        var key = new StringBuilder()
            .Append(wabaId).Append('\n').Append(templateId.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(kind.ToApiName()).Append('\n').Append(since?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in before.Concat(after))
        {
            key.Append('\n').Append(name).Append('=').Append(value);
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString()), hash);
        return "rc-" + Convert.ToHexStringLower(hash[..16]);
    }

    /// <summary>
    /// The history's raw body for a reconciliation event: what differed (before and after), when and by
    /// which run it was seen, and the template as the Graph API gave it, with Meta's field names.
    /// </summary>
    private static string Raw(ReconciliationContext context, GraphTemplate? api, EventKind kind, Dictionary<string, string?> before, Dictionary<string, string?> after)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("source", EventSource.Reconciliation.ToApiName());
            w.WriteString("kind", kind.ToApiName());
            w.WriteString("runId", context.RunId);
            w.WriteString("fetchedAt", context.FetchedAt.UtcDateTime);
            w.WriteBoolean("bootstrap", context.Bootstrap);
            Values(w, "before", before);
            Values(w, "after", after);
            if (api is not null)
            {
                w.WriteStartObject("template");
                w.WriteString("id", api.Id.ToString(CultureInfo.InvariantCulture));
                w.WriteString("name", api.Name);
                w.WriteString("language", api.Language);
                w.WriteString("status", api.Status);
                w.WriteString("category", api.Category);
                w.WriteString("previous_category", api.PreviousCategory);
                w.WriteString("correct_category", api.CorrectCategory);
                w.WriteString("quality_score", api.QualityScore?.Score);
                w.WriteString("rejected_reason", api.RejectedReason);
                w.WriteString("sub_category", api.SubCategory);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Values(Utf8JsonWriter w, string name, Dictionary<string, string?> values)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in values)
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    }

    /// <summary>Meta answers <c>NONE</c> for a template that was not rejected: that is no reason.</summary>
    private static string? RejectedReason(GraphTemplate api) =>
        string.IsNullOrWhiteSpace(api.RejectedReason) || Same(api.RejectedReason, "NONE") ? null : api.RejectedReason;

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string? Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
