namespace WebhookProcessor.Notifications;

/// <summary>The kinds of alert an owner can receive, by their API names.</summary>
public static class AlertKinds
{
    public const string CategoryChangeUpcoming = "category-change-upcoming";
    public const string CategoryChanged = "category-changed";
    public const string TemplateRejected = "template-rejected";
    public const string TemplatePaused = "template-paused";
    public const string TemplateDisabled = "template-disabled";
    public const string TemplateFlagged = "template-flagged";

    // Off unless configured: Notifications:Alerts:<kind> = true.
    public const string TemplateApproved = "template-approved";
    public const string TemplatePending = "template-pending";
    public const string TemplateReinstated = "template-reinstated";
    public const string TemplateArchived = "template-archived";
    public const string TemplateDeleted = "template-deleted";

    /// <summary>Any other status event (LOCKED, IN_APPEAL, LIMIT_EXCEEDED, UNARCHIVED, unknown values).</summary>
    public const string TemplateStatusChanged = "template-status-changed";
    public const string QualityChanged = "quality-changed";
    public const string TemplateEdited = "template-edited";
    public const string CorrectCategoryDetected = "correct-category-detected";

    /// <summary>The optional daily list of an owner's upcoming category changes.</summary>
    public const string UpcomingDigest = "upcoming-changes-digest";

    public static readonly IReadOnlyList<string> OnByDefault =
    [
        CategoryChangeUpcoming, CategoryChanged, TemplateRejected, TemplatePaused, TemplateDisabled, TemplateFlagged,
    ];

    public static readonly IReadOnlyList<string> All =
    [
        CategoryChangeUpcoming, CategoryChanged, TemplateRejected, TemplatePaused, TemplateDisabled, TemplateFlagged,
        TemplateApproved, TemplatePending, TemplateReinstated, TemplateArchived, TemplateDeleted, TemplateStatusChanged,
        QualityChanged, TemplateEdited, CorrectCategoryDetected, UpcomingDigest,
    ];
}
