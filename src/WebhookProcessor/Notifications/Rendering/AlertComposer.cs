using System.Globalization;
using WebhookProcessor.Meta;

namespace WebhookProcessor.Notifications;

/// <summary>Decides what an alert says: which case it is, which facts it lists, which of Meta's texts it quotes.</summary>
internal static class AlertComposer
{
    private const int MaxSubjectLength = 250;

    public static AlertMessage Compose(AlertFacts facts, AlertTexts texts, string ownerDisplayName)
    {
        var view = new AlertView(facts, texts);
        var isDigest = facts.Kind == AlertKinds.UpcomingDigest;
        var digest = isDigest ? DigestLines(facts.Digest ?? [], texts) : [];
        var body = isDigest ? texts.Digest(digest.Count) : Body(facts, texts, view);

        var heading = texts.KindTitle(facts.Kind);
        if (facts.Kind == AlertKinds.TemplateStatusChanged && facts.StatusEvent is not null)
            heading += $" ({facts.StatusEvent})";
        var title = isDigest
            ? $"{heading}: {texts.TemplateCount(digest.Count)}"
            : $"{heading}: {view.TemplateRef}";

        var paragraphs = body.Paragraphs.ToList();
        if (!isDigest && facts.EffectiveAtEstimated && view.Effective is not null)
            paragraphs.Insert(Math.Min(1, paragraphs.Count), texts.EstimatedDateNote);

        return new AlertMessage(
            Subject: SubjectLine($"[WhatsApp] {title}"),
            Title: title,
            Greeting: texts.Greeting(ownerDisplayName),
            Paragraphs: paragraphs,
            Facts: [.. isDigest ? [new(texts.TemplatesLabel, digest.Count.ToString(CultureInfo.InvariantCulture))] : Facts(facts, texts, view),
                // The Teams card may go to a shared channel, where the greeting alone does not say whose template it is.
                .. string.IsNullOrWhiteSpace(ownerDisplayName) ? [] : new[] { new AlertLine(texts.OwnerLabel, ownerDisplayName.Trim()) }],
            MetaTexts: MetaTexts(facts, texts),
            Digest: digest,
            Actions: body.Actions,
            Footer: texts.Footer(facts.EventId));
    }

    private static AlertBody Body(AlertFacts f, AlertTexts t, AlertView v) => f.Kind switch
    {
        AlertKinds.CategoryChangeUpcoming =>
            AlertView.Is(f.NewCategory, MetaValues.Authentication) && !AlertView.Is(f.Category, MetaValues.Authentication)
                ? t.UpcomingToAuthentication(v)
                : t.Upcoming(v),
        AlertKinds.CategoryChanged => t.Changed(v),
        AlertKinds.TemplateRejected => Normalize(f.Reason) switch
        {
            MetaValues.IncorrectCategory or MetaValues.TagContentMismatch => t.RejectedCategory(v),
            MetaValues.InvalidFormat => t.RejectedFormat(v),
            MetaValues.AbusiveContent or MetaValues.Promotional or MetaValues.Scam => t.RejectedPolicy(v),
            _ => t.RejectedOther(v),
        },
        AlertKinds.TemplatePaused => Normalize(f.OtherInfoTitle) switch
        {
            MetaValues.FirstPause => t.PausedFirst(v),
            MetaValues.SecondPause => t.PausedSecond(v),
            MetaValues.RateLimitingPause => t.PausedByPacing(v),
            _ => t.PausedOther(v),
        },
        AlertKinds.TemplateDisabled => t.Disabled(v),
        AlertKinds.TemplateFlagged => t.Flagged(v),
        AlertKinds.TemplateApproved => t.Approved(v),
        AlertKinds.TemplatePending => t.Pending(v),
        AlertKinds.TemplateReinstated => t.Reinstated(v),
        AlertKinds.TemplateArchived => t.Archived(v),
        AlertKinds.TemplateDeleted => t.Deleted(v),
        AlertKinds.QualityChanged => t.QualityChanged(v),
        AlertKinds.TemplateEdited => t.Edited(v),
        AlertKinds.CorrectCategoryDetected => t.CorrectCategoryDetected(v),
        _ => t.StatusChanged(v),
    };

    private static List<AlertLine> Facts(AlertFacts f, AlertTexts t, AlertView v)
    {
        List<AlertLine> lines =
        [
            new(t.TemplateLabel, v.Template),
            new(t.TemplateIdLabel, v.TemplateId),
            new(t.LanguageLabel, v.Language),
            new(t.AccountLabel, v.Account),
        ];
        switch (f.Kind)
        {
            case AlertKinds.CategoryChanged:
                lines.Add(new(t.PreviousCategoryLabel, v.PreviousCategory));
                lines.Add(new(t.NewCategoryLabel, v.NewCategory));
                break;
            case AlertKinds.CategoryChangeUpcoming:
                lines.Add(new(t.CategoryLabel, v.Category));
                lines.Add(new(t.NewCategoryLabel, v.NewCategory));
                break;
            case AlertKinds.CorrectCategoryDetected:
                lines.Add(new(t.CategoryLabel, v.Category));
                lines.Add(new(t.DetectedCategoryLabel, v.NewCategory));
                break;
            default:
                lines.Add(new(t.CategoryLabel, v.Category));
                break;
        }

        if (v.Effective is { } effective)
        {
            var utc = DateWords.Utc(effective);
            lines.Add(new(t.EffectiveAtLabel, f.EffectiveAtEstimated ? $"{utc} ({t.EstimatedMark})" : utc));
        }
        else if (f.Kind == AlertKinds.CategoryChangeUpcoming)
        {
            // The Graph API shows a pending change without a date: say so rather than leave the line out.
            lines.Add(new(t.EffectiveAtLabel, t.DateUnknown));
        }

        if (f.StatusEvent is not null)
            lines.Add(new(t.EventLabel, f.StatusEvent));
        if (f.Kind == AlertKinds.TemplateRejected)
            lines.Add(new(t.ReasonLabel, v.Reason));
        if (f.OtherInfoTitle is not null)
            lines.Add(new(t.PauseLabel, f.OtherInfoTitle));
        if (f.DisableDate is { } disable)
            lines.Add(new(t.DisableDateLabel, DateWords.Utc(disable)));
        if (f.Kind == AlertKinds.QualityChanged)
        {
            lines.Add(new(t.PreviousQualityLabel, v.PreviousQuality));
            lines.Add(new(t.NewQualityLabel, v.NewQuality));
        }

        lines.Add(new(t.SentAtLabel, DateWords.Utc(f.OccurredAt)));
        return lines;
    }

    // Meta's own words, quoted as sent: only the channels encode them.
    private static List<AlertLine> MetaTexts(AlertFacts f, AlertTexts t)
    {
        List<AlertLine> lines = [];
        if (!string.IsNullOrWhiteSpace(f.RejectionReason))
            lines.Add(new(t.MetaReasonLabel, f.RejectionReason));
        if (!string.IsNullOrWhiteSpace(f.RejectionRecommendation))
            lines.Add(new(t.MetaRecommendationLabel, f.RejectionRecommendation));
        if (!string.IsNullOrWhiteSpace(f.OtherInfoDescription))
            lines.Add(new(t.MetaDescriptionLabel, f.OtherInfoDescription));
        return lines;
    }

    private static List<DigestLine> DigestLines(IReadOnlyList<DigestItem> items, AlertTexts t) =>
        items
            .OrderBy(i => i.EffectiveAt ?? DateTimeOffset.MaxValue)
            .ThenBy(i => i.TemplateName, StringComparer.Ordinal)
            .ThenBy(i => i.TemplateId)
            .Select(i => new DigestLine(
                Template: i.TemplateName ?? t.NoName,
                TemplateId: i.TemplateId.ToString(CultureInfo.InvariantCulture),
                Language: i.Language ?? t.NotGiven,
                Account: i.WabaId,
                Change: $"{t.Category(i.FromCategory)} → {t.Category(i.ToCategory)}",
                EffectiveUtc: i.EffectiveAt is { } at ? DateWords.Utc(at) : t.DateUnknown,
                EffectiveInWords: i.EffectiveAt is { } on ? t.DateInWords(on) : t.DateUnknownHint))
            .ToList();

    // A subject is a mail header: no line breaks or other control characters, and a sane length.
    private static string SubjectLine(string subject)
    {
        var clean = string.Create(subject.Length, subject, static (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
                span[i] = char.IsControl(s[i]) ? ' ' : s[i];
        });
        return TextCut.ToLength(clean, MaxSubjectLength);
    }

    private static string? Normalize(string? metaValue) => metaValue?.Trim().ToUpperInvariant();
}
