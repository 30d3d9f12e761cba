using System.Globalization;
using System.Text.Json;
using WebhookProcessor.Catalog;
using WebhookProcessor.Meta;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Processing;

/// <summary>
/// Turns a queued change into a <see cref="TemplateEvent"/>. Every field Meta documents for the
/// template webhooks is read; every enum is an open set; extra keys stay in <see cref="TemplateEvent.Raw"/>.
/// Throws <see cref="MalformedChangeException"/> only for a change that cannot mean anything.
/// </summary>
public static class TemplateEventParser
{
    /// <summary>Meta refuses template names longer than this; a longer one cannot be a real template.</summary>
    public const int MaxTemplateNameLength = 512;

    /// <summary>
    /// The latest instant a change may carry. Later times are representable on their own, but the catalog
    /// and the alerts add to them (the next month for an unannounced category change, the archive period
    /// in an alert), and those sums must stay inside <see cref="DateTimeOffset"/>. No real event is
    /// anywhere near this year.
    /// </summary>
    public static readonly DateTimeOffset LatestSupportedTime = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The earliest instant a change may carry, for the same reason in the other direction.</summary>
    public static readonly DateTimeOffset EarliestSupportedTime = new(1000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = JsonLimits.MaxDepth };

    public static TemplateEvent Parse(ChangeMessage message)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message.Change, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new MalformedChangeException($"The queued change is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            if (!document.RootElement.TryGetProperty(MetaKeys.Value, out var value))
            {
                throw new MalformedChangeException($"The {message.Field} change has no \"value\".");
            }

            var occurredAt = message.EntryTime is { } seconds ? FromUnixSeconds(seconds, "entry.time") : message.ReceivedAt;
            var baseEvent = new TemplateEvent
            {
                EventId = message.EventId,
                WabaId = message.WabaId,
                Field = message.Field,
                Kind = EventKind.Unknown,
                OccurredAt = occurredAt,
                ReceivedAt = message.ReceivedAt,
                Raw = message.Change,
            };

            try
            {
                return ParseValue(message, value, baseEvent);
            }
            catch (InvalidOperationException ex)
            {
                throw new MalformedChangeException($"The {message.Field} change holds text that cannot be decoded: {ex.Message}", ex);
            }
        }
    }

    private static TemplateEvent ParseValue(ChangeMessage message, JsonElement value, TemplateEvent baseEvent)
    {
        return message.Field switch
        {
            MetaFields.StatusUpdate => ParseStatus(RequireObject(value, message.Field), baseEvent),
            MetaFields.CategoryUpdate => ParseCategory(RequireObject(value, message.Field), baseEvent),
            MetaFields.QualityUpdate => ParseQuality(RequireObject(value, message.Field), baseEvent),
            MetaFields.ComponentsUpdate => WithTemplate(RequireObject(value, message.Field), baseEvent with { Kind = EventKind.Components }),
            MetaFields.CorrectCategoryDetection => ParseCorrectCategory(RequireObject(value, message.Field), baseEvent),
            _ => ParseUnknown(value, baseEvent),
        };
    }

    private static TemplateEvent ParseStatus(JsonElement value, TemplateEvent e)
    {
        e = WithTemplate(value, e) with
        {
            Kind = EventKind.Status,
            Event = Text(value, MetaKeys.Event),
            Reason = Text(value, MetaKeys.Reason),
            Category = Text(value, MetaKeys.TemplateCategory),
        };

        if (Object(value, MetaKeys.OtherInfo) is { } otherInfo)
        {
            e = e with { OtherInfoTitle = Text(otherInfo, MetaKeys.Title), OtherInfoDescription = Text(otherInfo, MetaKeys.Description) };
        }

        if (Object(value, MetaKeys.DisableInfo) is { } disableInfo)
        {
            e = e with { DisableDate = UnixTime(disableInfo, MetaKeys.DisableDate) };
        }

        if (Object(value, MetaKeys.RejectionInfo) is { } rejectionInfo)
        {
            e = e with { RejectionReason = Text(rejectionInfo, MetaKeys.Reason), RejectionRecommendation = Text(rejectionInfo, MetaKeys.Recommendation) };
        }

        return e;
    }

    /// <summary>
    /// <c>template_category_update</c> has two shapes that share the key <c>new_category</c> with opposite
    /// meanings. A notice carries <c>category_update_timestamp</c> and/or <c>correct_category</c>, and its
    /// <c>new_category</c> is the current category; a completed change carries <c>previous_category</c>,
    /// and its <c>new_category</c> is the category after. Meta's dashboard test sample mixes both; the
    /// timestamp, then the absence of <c>previous_category</c>, decides.
    /// </summary>
    private static TemplateEvent ParseCategory(JsonElement value, TemplateEvent e)
    {
        e = WithTemplate(value, e);
        var newCategory = Text(value, MetaKeys.NewCategory);
        var correctCategory = Text(value, MetaKeys.CorrectCategory);
        var previousCategory = Text(value, MetaKeys.PreviousCategory);
        var scheduledAt = UnixTime(value, MetaKeys.CategoryUpdateTimestamp);

        var isNotice = scheduledAt is not null || (correctCategory is not null && previousCategory is null);
        if (isNotice)
        {
            return e with
            {
                Kind = EventKind.CategoryChangePending,
                Category = newCategory,
                NewCategory = correctCategory,
                CorrectCategory = correctCategory,
                EffectiveAt = scheduledAt ?? FirstDayOfNextMonth(e.OccurredAt),
            };
        }

        return e with
        {
            Kind = EventKind.CategoryChanged,
            Category = newCategory,
            PreviousCategory = previousCategory,
            NewCategory = newCategory,
            CorrectCategory = correctCategory,
            EffectiveAt = e.OccurredAt,
        };
    }

    private static TemplateEvent ParseQuality(JsonElement value, TemplateEvent e) =>
        WithTemplate(value, e) with
        {
            Kind = EventKind.Quality,
            PreviousQualityScore = Text(value, MetaKeys.PreviousQualityScore),
            NewQualityScore = Text(value, MetaKeys.NewQualityScore),
        };

    private static TemplateEvent ParseCorrectCategory(JsonElement value, TemplateEvent e) =>
        WithTemplate(value, e) with
        {
            Kind = EventKind.CorrectCategoryDetected,
            Category = Text(value, MetaKeys.Category),
            CorrectCategory = Text(value, MetaKeys.CorrectCategory),
        };

    private static TemplateEvent ParseUnknown(JsonElement value, TemplateEvent e)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return e;
        }

        // Best effort only: an unknown field is never rejected for its shape.
        return e with
        {
            TemplateId = TryTemplateId(value, out var id) ? id : null,
            TemplateName = value.TryGetProperty(MetaKeys.TemplateName, out var n) && n.ValueKind == JsonValueKind.String ? TemplateName(value, e.Field) : null,
            Language = value.TryGetProperty(MetaKeys.TemplateLanguage, out var l) && l.ValueKind == JsonValueKind.String ? NormalizeLanguage(l.GetString()) : null,
        };
    }

    private static TemplateEvent WithTemplate(JsonElement value, TemplateEvent e)
    {
        if (!value.TryGetProperty(MetaKeys.TemplateId, out var idElement))
        {
            throw new MalformedChangeException($"The {e.Field} change has no \"message_template_id\".");
        }

        if (!TryTemplateId(value, out var id))
        {
            throw new MalformedChangeException($"\"message_template_id\" is {idElement.GetRawText()}; expected a positive 64-bit integer.");
        }

        return e with
        {
            TemplateId = id,
            TemplateName = TemplateName(value, e.Field),
            Language = NormalizeLanguage(Text(value, MetaKeys.TemplateLanguage)),
        };
    }

    private static string? TemplateName(JsonElement value, string field)
    {
        var name = Text(value, MetaKeys.TemplateName);
        if (name is { Length: > MaxTemplateNameLength })
        {
            throw new MalformedChangeException($"The {field} change's \"message_template_name\" is {name.Length} characters long; Meta allows at most {MaxTemplateNameLength}.");
        }

        return name;
    }

    /// <summary>Template ids are numbers in webhooks and strings in the Graph API; both are read as Int64, never as a double.</summary>
    private static bool TryTemplateId(JsonElement value, out long id)
    {
        id = 0;
        if (!value.TryGetProperty(MetaKeys.TemplateId, out var element))
        {
            return false;
        }

        var parsed = element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetInt64(out id),
            JsonValueKind.String => long.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out id),
            _ => false,
        };
        return parsed && id > 0;
    }

    /// <summary>Meta writes both <c>en_US</c> and <c>en-US</c>; the catalog uses the Graph API's underscore form.</summary>
    public static string? NormalizeLanguage(string? language) =>
        string.IsNullOrWhiteSpace(language) ? null : language.Trim().Replace('-', '_');

    /// <summary>Unannounced timing falls back to the categorization guide's older rule: the first day of the next month, UTC.</summary>
    public static DateTimeOffset FirstDayOfNextMonth(DateTimeOffset noticeTime)
    {
        var utc = noticeTime.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
    }

    private static JsonElement RequireObject(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Object
            ? value
            : throw new MalformedChangeException($"The {field} change's \"value\" is {value.ValueKind}, not an object.");

    private static JsonElement? Object(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Object ? element : null;

    /// <summary>A string property; a non-string scalar is kept as its JSON text rather than dropped.</summary>
    private static string? Text(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var element))
        {
            return null;
        }

        return element.ValueKind switch
        {
            JsonValueKind.String => string.IsNullOrEmpty(element.GetString()) ? null : element.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => element.GetRawText(),
        };
    }

    /// <summary>Unix seconds sent as a number or, as one of Meta's pages shows, a numeric string.</summary>
    private static DateTimeOffset? UnixTime(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        long seconds;
        var ok = element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetInt64(out seconds),
            JsonValueKind.String => long.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out seconds),
            _ => (seconds = 0) == 1,
        };
        if (!ok)
        {
            throw new MalformedChangeException($"\"{name}\" is {element.GetRawText()}; expected Unix seconds.");
        }

        return FromUnixSeconds(seconds, name);
    }

    private static DateTimeOffset FromUnixSeconds(long seconds, string name)
    {
        if (seconds < EarliestSupportedTime.ToUnixTimeSeconds() || seconds > LatestSupportedTime.ToUnixTimeSeconds())
        {
            throw new MalformedChangeException(
                $"\"{name}\" is {seconds}, outside any real date (accepted: {EarliestSupportedTime.ToUnixTimeSeconds()} to {LatestSupportedTime.ToUnixTimeSeconds()} Unix seconds).");
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }
}
