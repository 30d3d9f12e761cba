using System.Globalization;
using WebhookProcessor.Meta;

namespace WebhookProcessor.Notifications;

/// <summary>The alerts in English.</summary>
internal sealed class EnglishTexts : AlertTexts
{
    public static readonly EnglishTexts Instance = new();

    private const string MarketingCost =
        "Marketing messages cost more, and may only be sent to people who opted in to receive marketing messages.";

    private const string ReviewInSupportHome =
        "If you think Meta's category is wrong, request a review of the categorization in Business Support Home within 60 days (it cannot be requested through the API).";

    private const string AppealInSupportHome =
        "If you think the rejection is a mistake, appeal: request a review in Business Support Home.";

    private const string ReviewQuality =
        "Review the template's quality and the recipients' feedback (blocks and reports): make the content relevant and send it only to people who expect it.";

    public override string Code => "en";

    public override string DateInWords(DateTimeOffset at) => DateWords.English(at);

    public override string OnDate(DateTimeOffset? at) =>
        at is { } value ? $"on {DateWords.English(value)}" : "on a date Meta did not give";

    public override string Category(string? metaCategory) => string.IsNullOrEmpty(metaCategory) ? "unknown" : metaCategory;

    public override string Quality(string? metaScore) => metaScore switch
    {
        null or "" => "unknown",
        MetaValues.Green => "GREEN (high)",
        MetaValues.Yellow => "YELLOW (medium)",
        MetaValues.Red => "RED (low)",
        MetaValues.Unknown => "UNKNOWN (pending)",
        _ => metaScore,
    };

    public override string KindTitle(string kind) => kind switch
    {
        AlertKinds.CategoryChangeUpcoming => "Upcoming category change",
        AlertKinds.CategoryChanged => "Category changed",
        AlertKinds.TemplateRejected => "Template rejected",
        AlertKinds.TemplatePaused => "Template paused",
        AlertKinds.TemplateDisabled => "Template disabled",
        AlertKinds.TemplateFlagged => "Template flagged, at risk of being disabled",
        AlertKinds.TemplateApproved => "Template approved",
        AlertKinds.TemplatePending => "Template in review",
        AlertKinds.TemplateReinstated => "Template reinstated",
        AlertKinds.TemplateArchived => "Template archived",
        AlertKinds.TemplateDeleted => "Template deleted",
        AlertKinds.TemplateStatusChanged => "Template status changed",
        AlertKinds.QualityChanged => "Template quality changed",
        AlertKinds.TemplateEdited => "Template edited",
        AlertKinds.CorrectCategoryDetected => "Correct category detected by Meta",
        AlertKinds.UpcomingDigest => "Upcoming category changes",
        _ => "Template notice",
    };

    public override string Greeting(string ownerDisplayName) =>
        string.IsNullOrWhiteSpace(ownerDisplayName) ? "Hello," : $"Hello {ownerDisplayName.Trim()},";

    public override string Footer(string eventId) =>
        $"Automatic notice generated from a Meta WhatsApp webhook. Reference: {eventId}";

    public override string TemplateCount(int count) =>
        count == 1 ? "1 template" : string.Create(CultureInfo.InvariantCulture, $"{count} templates");

    public override string AndMore(int count) => string.Create(CultureInfo.InvariantCulture, $"… and {count} more.");

    public override string NoName => "(no name)";
    public override string NotGiven => "not given";

    public override string DateUnknown => "unknown: Meta has not given one yet";

    public override string DateUnknownHint => "Meta usually applies category changes on the 1st of a month";
    public override string EstimatedMark => "estimated";

    public override string EstimatedDateNote =>
        "The date is an estimate: Meta did not say when the change applies. According to Meta's categorization guide, it applies on the first day of the next month.";

    public override string ShortenedNote => "Message shortened to fit the Teams size limit.";
    public override string ActionsHeading => "What you can do";
    public override string DigestHeading => "Pending changes";

    public override string TemplateLabel => "Template";
    public override string TemplateIdLabel => "Template ID";
    public override string LanguageLabel => "Language";
    public override string AccountLabel => "Account (WABA)";
    public override string CategoryLabel => "Current category";
    public override string NewCategoryLabel => "New category";
    public override string PreviousCategoryLabel => "Previous category";
    public override string DetectedCategoryLabel => "Detected category";
    public override string EffectiveAtLabel => "Effective date";
    public override string ChangeLabel => "Change";
    public override string EventLabel => "Meta event";
    public override string ReasonLabel => "Reason";
    public override string PauseLabel => "Pause type";
    public override string DisableDateLabel => "Disable date";
    public override string PreviousQualityLabel => "Previous quality";
    public override string NewQualityLabel => "New quality";
    public override string SentAtLabel => "Sent by Meta";
    public override string OwnerLabel => "Owner";
    public override string TemplatesLabel => "Templates";
    public override string MetaReasonLabel => "Meta's reason";
    public override string MetaRecommendationLabel => "Meta's recommendation";
    public override string MetaDescriptionLabel => "Meta's description";

    public override AlertBody Upcoming(AlertView v) => new(
        [
            $"Meta will change the category of template {v.TemplateRef} from {v.Category} to {v.NewCategory} {v.OnEffective}.",
            "The template stays approved and can still be sent, before and after the change; what changes is the category each message is charged as.",
            .. If(v.NewIsMarketing, MarketingCost),
        ],
        [
            $"If the new category is right, create a new template in that category, or adjust the content to fit {v.Category}, and use it instead of this one.",
            ReviewInSupportHome,
        ]);

    public override AlertBody UpcomingToAuthentication(AlertView v) => new(
        [
            $"Meta determined that template {v.TemplateRef}, currently {v.Category}, belongs in AUTHENTICATION.",
            $"Its category will not change: {v.OnEffective} (the first day of the next month) the template will become REJECTED with reason INCORRECT_CATEGORY and can no longer be sent. Until then it stays approved.",
        ],
        [
            "Create an AUTHENTICATION template for verification codes and move your sends to it before that date.",
            ReviewInSupportHome,
        ]);

    public override AlertBody Changed(AlertView v) => new(
        [
            $"Template {v.TemplateRef} moved from {v.PreviousCategory} to {v.NewCategory} {v.OnEffective}.",
            $"It stays approved; since the change, each message is charged as {v.NewCategory}.",
            .. If(v.NewIsMarketing, MarketingCost),
        ],
        [
            .. If(v.NewIsMarketing, "Before sending it again, check that the recipients opted in to marketing messages."),
            "If you disagree, request a review of the categorization in Business Support Home within 60 days of the change (it cannot be requested through the API).",
            "You can also create a new template whose content fits the category you need.",
        ]);

    public override AlertBody RejectedCategory(AlertView v) => new(
        [
            $"Meta rejected template {v.TemplateRef} (reason {v.Reason}): its content does not match the category chosen, {v.Category}. A rejected template cannot be sent.",
            .. If(AlertView.Is(v.Facts.Reason, MetaValues.IncorrectCategory),
                "Meta also uses this reason when it decides the template should be an authentication template."),
        ],
        [
            "Edit the rejected template's category (through the API or in WhatsApp Manager) to match its content, and resubmit it for review.",
            "If you think the chosen category was right, request a review in Business Support Home.",
        ]);

    public override AlertBody RejectedFormat(AlertView v) => new(
        [
            $"Meta rejected template {v.TemplateRef} for an invalid format (INVALID_FORMAT). A rejected template cannot be sent.",
            v.Facts.RejectionReason is null && v.Facts.RejectionRecommendation is null
                ? "Meta sent no details about the problem."
                : "Meta's explanation and recommendation follow, exactly as Meta sent them.",
        ],
        [
            "Fix the template as Meta recommends (for example, the format of its variables) and resubmit it for review.",
            AppealInSupportHome,
        ]);

    public override AlertBody RejectedPolicy(AlertView v) => new(
        [$"Meta rejected template {v.TemplateRef} because it considers the content a breach of WhatsApp's policies (reason {v.Reason}). A rejected template cannot be sent."],
        [
            "Edit the content so that it follows the WhatsApp Business policies, and resubmit it for review.",
            AppealInSupportHome,
        ]);

    public override AlertBody RejectedOther(AlertView v) => new(
        [$"Meta rejected template {v.TemplateRef} (reason: {v.Reason}). A rejected template cannot be sent."],
        [
            "Review the content and the category, correct them, and resubmit the template for review.",
            AppealInSupportHome,
        ]);

    public override AlertBody PausedFirst(AlertView v) => new(
        [
            $"Meta paused template {v.TemplateRef} for 3 hours because of low quality (negative feedback from recipients). It resumes by itself when the pause ends; until then it cannot be sent.",
            "If the quality does not improve, the next pause lasts 6 hours, and a third pause disables the template.",
        ],
        [ReviewQuality, "Meanwhile, use another approved template for urgent sends."]);

    public override AlertBody PausedSecond(AlertView v) => new(
        [
            $"Meta paused template {v.TemplateRef} a second time, for 6 hours, because of low quality. It resumes by itself when the pause ends; until then it cannot be sent.",
            "A third pause will disable the template.",
        ],
        [ReviewQuality, "Consider not using it until the content is improved, to avoid it being disabled."]);

    public override AlertBody PausedByPacing(AlertView v) => new(
        [
            $"Meta paused template {v.TemplateRef} through template pacing. This pause does not end by itself: the template must be unpaused manually.",
        ],
        [
            ReviewQuality,
            $"Then unpause it through the API (POST /{v.UnpauseId}/unpause) or in WhatsApp Manager.",
        ]);

    public override AlertBody PausedOther(AlertView v) => new(
        [$"Meta paused template {v.TemplateRef} (pause type: {v.PauseTitle}). While it is paused it cannot be sent."],
        [ReviewQuality, "Check the template's status in WhatsApp Manager."]);

    public override AlertBody Disabled(AlertView v) => new(
        [
            $"Meta disabled template {v.TemplateRef}, for example after a third pause for low quality. It can no longer be sent.",
            .. If(v.OnDisable is not null, $"Disabled {v.OnDisable}."),
        ],
        [
            "Create a new template with improved content (relevant, and sent only to people who expect it) and use it instead of this one.",
            "Disabled templates cannot be deleted: this one will stay in the list.",
        ]);

    public override AlertBody Flagged(AlertView v) => new(
        [
            $"Meta flagged template {v.TemplateRef} because of negative feedback from recipients: it is at risk of being disabled.",
            .. If(v.OnDisable is not null, $"According to Meta, it could be disabled {v.OnDisable}."),
        ],
        [
            "Improve the content and the targeting: send it only to people who expect the message, and make it easy to stop receiving it.",
            "If the quality improves, Meta lifts the flag and you will get a template reinstated notice.",
        ]);

    public override AlertBody Approved(AlertView v) => new(
        [$"Meta approved template {v.TemplateRef} in category {v.Category}; it can be sent now."],
        ["Check the category: since April 2025, Meta approves a template submitted as UTILITY as MARKETING when its content is marketing."]);

    public override AlertBody Pending(AlertView v) => new(
        [$"Template {v.TemplateRef} is in review at Meta; it cannot be sent until it is approved."],
        ["Nothing to do for now."]);

    public override AlertBody Reinstated(AlertView v) => new(
        [$"Meta reinstated template {v.TemplateRef}: it is no longer flagged or disabled and can be sent again."],
        ["Keep an eye on its quality to avoid further pauses."]);

    public override AlertBody Archived(AlertView v) => new(
        [
            $"Template {v.TemplateRef} was archived (Meta archives templates automatically when they have not been used for 12 months).",
            $"It will be deleted 28 days after archiving, around {DateWords.English(v.ArchiveDeletion)}, unless it is unarchived.",
        ],
        ["If you still need it, unarchive it before then."]);

    public override AlertBody Deleted(AlertView v) => new(
        [$"Template {v.TemplateRef} was deleted and can no longer be sent."],
        ["If that was not intended, create the template again. If it was approved, its name cannot be reused for 30 days: use another name."]);

    public override AlertBody StatusChanged(AlertView v) => v.Facts.StatusEvent switch
    {
        MetaValues.Locked => new(
            [$"Template {v.TemplateRef} is locked (LOCKED): it cannot be edited."],
            ["If you need different content, create a new template."]),
        MetaValues.InAppeal => new(
            [$"Template {v.TemplateRef} is in appeal (IN_APPEAL)."],
            ["Nothing to do: Meta will announce the outcome."]),
        MetaValues.LimitExceeded => new(
            [$"Account {v.Account} reached its template limit (LIMIT_EXCEEDED)."],
            ["Delete templates you no longer use, or verify the business to raise the limit."]),
        MetaValues.Unarchived => new(
            [$"Template {v.TemplateRef} was unarchived: it is back to the status it had before archiving and will not be deleted."],
            []),
        MetaValues.PendingDeletion => new(
            [$"Template {v.TemplateRef} is pending deletion (PENDING_DELETION)."],
            ["If that was not intended, create the template again under another name."]),
        _ => new(
            [$"The status of template {v.TemplateRef} changed: {v.StatusEvent}."],
            ["Check the template in WhatsApp Manager."]),
    };

    public override AlertBody QualityChanged(AlertView v) => v.Facts.NewQualityScore switch
    {
        MetaValues.Red => new(
            [
                $"The quality of template {v.TemplateRef} dropped from {v.PreviousQuality} to {v.NewQuality}.",
                "With low quality, Meta may pause the template (3 hours, then 6) and disable it at the third pause.",
            ],
            [ReviewQuality]),
        MetaValues.Yellow => new(
            [$"The quality of template {v.TemplateRef} changed from {v.PreviousQuality} to {v.NewQuality}."],
            [ReviewQuality]),
        _ => new(
            [$"The quality of template {v.TemplateRef} changed from {v.PreviousQuality} to {v.NewQuality}."],
            ["Nothing to do."]),
    };

    public override AlertBody Edited(AlertView v) => new(
        [$"The content of template {v.TemplateRef} was edited; Meta reviews it again."],
        [
            "If you do not recognise this edit, check who has access to the account.",
            "An approved template can be edited at most 10 times in 30 days, and once every 24 hours.",
        ]);

    public override AlertBody CorrectCategoryDetected(AlertView v) => new(
        [$"Meta detected that template {v.TemplateRef}, sent as {v.Category}, belongs in {v.NewCategory} (Utility Direct Send)."],
        ["Review the content: if it is promotional, send it as a marketing template; if it should be utility, remove the promotional content."]);

    public override AlertBody Digest(int count) => new(
        [
            $"You have {TemplateCount(count)} with a pending category change, soonest first.",
            "The templates stay approved and can be sent; each change alters the category their messages are charged as.",
        ],
        [
            "Review each template before its date: create a new template in the right category, or adjust the content.",
            ReviewInSupportHome,
        ]);
}
