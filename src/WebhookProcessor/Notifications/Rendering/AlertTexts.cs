namespace WebhookProcessor.Notifications;

/// <summary>
/// Everything an alert says, in one language. Every member is abstract, so a language that leaves
/// a case out does not compile. Meta's own values (categories, reasons, statuses) stay as Meta
/// writes them; a language may add its word for them.
/// </summary>
internal abstract class AlertTexts
{
    /// <summary>Spanish unless the owner asked for English: the first owners are in Latin America.</summary>
    public static AlertTexts For(string? language) =>
        string.Equals(language?.Trim(), "en", StringComparison.OrdinalIgnoreCase) ? EnglishTexts.Instance : SpanishTexts.Instance;

    /// <summary>The code for the HTML <c>lang</c> attribute.</summary>
    public abstract string Code { get; }

    public abstract string DateInWords(DateTimeOffset at);

    /// <summary>"el viernes, …" / "on Friday, …"; null: a phrase saying Meta gave no date.</summary>
    public abstract string OnDate(DateTimeOffset? at);

    public abstract string Category(string? metaCategory);
    public abstract string Quality(string? metaScore);
    public abstract string KindTitle(string kind);
    public abstract string Greeting(string ownerDisplayName);
    public abstract string Footer(string eventId);
    public abstract string TemplateCount(int count);
    public abstract string AndMore(int count);

    public abstract string NoName { get; }
    public abstract string NotGiven { get; }

    /// <summary>An effective date nobody has given (a pending change the Graph API shows without one).</summary>
    public abstract string DateUnknown { get; }

    /// <summary>What the owner can expect about an unknown date.</summary>
    public abstract string DateUnknownHint { get; }
    public abstract string EstimatedDateNote { get; }
    public abstract string EstimatedMark { get; }
    public abstract string ShortenedNote { get; }
    public abstract string ActionsHeading { get; }
    public abstract string DigestHeading { get; }

    public abstract string TemplateLabel { get; }
    public abstract string TemplateIdLabel { get; }
    public abstract string LanguageLabel { get; }
    public abstract string AccountLabel { get; }
    public abstract string CategoryLabel { get; }
    public abstract string NewCategoryLabel { get; }
    public abstract string PreviousCategoryLabel { get; }
    public abstract string DetectedCategoryLabel { get; }
    public abstract string EffectiveAtLabel { get; }
    public abstract string ChangeLabel { get; }
    public abstract string EventLabel { get; }
    public abstract string ReasonLabel { get; }
    public abstract string PauseLabel { get; }
    public abstract string DisableDateLabel { get; }
    public abstract string PreviousQualityLabel { get; }
    public abstract string NewQualityLabel { get; }
    public abstract string SentAtLabel { get; }
    public abstract string OwnerLabel { get; }
    public abstract string TemplatesLabel { get; }
    public abstract string MetaReasonLabel { get; }
    public abstract string MetaRecommendationLabel { get; }
    public abstract string MetaDescriptionLabel { get; }

    public abstract AlertBody Upcoming(AlertView v);

    /// <summary>MARKETING or UTILITY that should be AUTHENTICATION: rejected, not moved.</summary>
    public abstract AlertBody UpcomingToAuthentication(AlertView v);
    public abstract AlertBody Changed(AlertView v);

    /// <summary>INCORRECT_CATEGORY and TAG_CONTENT_MISMATCH.</summary>
    public abstract AlertBody RejectedCategory(AlertView v);
    public abstract AlertBody RejectedFormat(AlertView v);

    /// <summary>ABUSIVE_CONTENT, PROMOTIONAL and SCAM.</summary>
    public abstract AlertBody RejectedPolicy(AlertView v);
    public abstract AlertBody RejectedOther(AlertView v);
    public abstract AlertBody PausedFirst(AlertView v);
    public abstract AlertBody PausedSecond(AlertView v);
    public abstract AlertBody PausedByPacing(AlertView v);
    public abstract AlertBody PausedOther(AlertView v);
    public abstract AlertBody Disabled(AlertView v);
    public abstract AlertBody Flagged(AlertView v);
    public abstract AlertBody Approved(AlertView v);
    public abstract AlertBody Pending(AlertView v);
    public abstract AlertBody Reinstated(AlertView v);
    public abstract AlertBody Archived(AlertView v);
    public abstract AlertBody Deleted(AlertView v);
    public abstract AlertBody StatusChanged(AlertView v);
    public abstract AlertBody QualityChanged(AlertView v);
    public abstract AlertBody Edited(AlertView v);
    public abstract AlertBody CorrectCategoryDetected(AlertView v);
    public abstract AlertBody Digest(int count);

    /// <summary>For optional sentences inside a collection expression: <c>[a, .. If(x, b)]</c>.</summary>
    protected static string[] If(bool condition, params string[] sentences) => condition ? sentences : [];
}
