using System.Globalization;
using WebhookProcessor.Meta;

namespace WebhookProcessor.Notifications;

/// <summary>
/// The facts of one alert formatted for one language, so each language's sentences only place them.
/// Absent values become the language's "unknown" or "not given" words here, once.
/// </summary>
internal sealed class AlertView
{
    public AlertView(AlertFacts facts, AlertTexts texts)
    {
        Facts = facts;
        Template = facts.TemplateName ?? texts.NoName;
        TemplateId = facts.TemplateId?.ToString(CultureInfo.InvariantCulture) ?? texts.NotGiven;
        Language = facts.Language ?? texts.NotGiven;
        Account = facts.WabaId;
        TemplateRef = (facts.TemplateName ?? facts.TemplateId?.ToString(CultureInfo.InvariantCulture) ?? texts.NoName)
            + (facts.Language is null ? "" : $" ({facts.Language})");
        Category = texts.Category(facts.Category);
        NewCategory = texts.Category(facts.NewCategory);
        PreviousCategory = texts.Category(facts.PreviousCategory);
        Reason = facts.Reason ?? texts.NotGiven;
        StatusEvent = facts.StatusEvent ?? texts.NotGiven;
        PauseTitle = facts.OtherInfoTitle ?? texts.NotGiven;
        PreviousQuality = texts.Quality(facts.PreviousQualityScore);
        NewQuality = texts.Quality(facts.NewQualityScore);
        Effective = EffectiveAt(facts);
        OnEffective = texts.OnDate(Effective);
        OnDisable = facts.DisableDate is { } disable ? texts.OnDate(disable) : null;
        // Meta deletes an archived template 28 days after archiving it, unless it is unarchived.
        ArchiveDeletion = facts.OccurredAt.AddDays(28);
    }

    public AlertFacts Facts { get; }
    public string Template { get; }
    public string TemplateId { get; }
    public string Language { get; }
    public string Account { get; }

    /// <summary>The template as prose names it: "payment_reminder (es_MX)".</summary>
    public string TemplateRef { get; }
    public string Category { get; }
    public string NewCategory { get; }
    public string PreviousCategory { get; }
    public string Reason { get; }
    public string StatusEvent { get; }
    public string PauseTitle { get; }
    public string PreviousQuality { get; }
    public string NewQuality { get; }
    public DateTimeOffset? Effective { get; }

    /// <summary>"el viernes, 2 de mayo de 2025, 07:00 (UTC)" / "on Friday, 2 May 2025, 07:00 (UTC)".</summary>
    public string OnEffective { get; }
    public string? OnDisable { get; }
    public DateTimeOffset ArchiveDeletion { get; }

    /// <summary>The id to put in <c>POST /{id}/unpause</c>.</summary>
    public string UnpauseId => Facts.TemplateId?.ToString(CultureInfo.InvariantCulture) ?? "{template_id}";

    public bool NewIsMarketing => Is(Facts.NewCategory, MetaValues.Marketing);

    public static bool Is(string? value, string metaValue) =>
        string.Equals(value?.Trim(), metaValue, StringComparison.OrdinalIgnoreCase);

    // A completed change that carries no time took effect when Meta announced it.
    private static DateTimeOffset? EffectiveAt(AlertFacts facts) =>
        facts.EffectiveAt ?? (facts.Kind == AlertKinds.CategoryChanged ? facts.OccurredAt : null);
}
