namespace WebhookProcessor.Meta;

/// <summary>
/// The keys of Meta's template webhooks, as Meta documents them. Only the envelope reader and the
/// parser read them (and, for one flag, the alert facts): everything else works on the parsed event.
/// </summary>
public static class MetaKeys
{
    // The envelope: {"object":…,"entry":[{"id":…,"time":…,"changes":[{"field":…,"value":{…}}]}]}.
    public const string Object = "object";
    public const string Entry = "entry";
    public const string Id = "id";
    public const string Time = "time";
    public const string Changes = "changes";
    public const string Field = "field";

    // Inside a change's value.
    public const string Value = "value";
    public const string Event = "event";
    public const string Reason = "reason";
    public const string Category = "category";
    public const string TemplateCategory = "message_template_category";
    public const string TemplateId = "message_template_id";
    public const string TemplateName = "message_template_name";
    public const string TemplateLanguage = "message_template_language";
    public const string OtherInfo = "other_info";
    public const string Title = "title";
    public const string Description = "description";
    public const string DisableInfo = "disable_info";
    public const string DisableDate = "disable_date";
    public const string RejectionInfo = "rejection_info";
    public const string Recommendation = "recommendation";
    public const string CategoryUpdateTimestamp = "category_update_timestamp";
    public const string CorrectCategory = "correct_category";
    public const string NewCategory = "new_category";
    public const string PreviousCategory = "previous_category";
    public const string NewQualityScore = "new_quality_score";
    public const string PreviousQualityScore = "previous_quality_score";
}
