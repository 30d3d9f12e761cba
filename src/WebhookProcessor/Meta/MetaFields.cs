namespace WebhookProcessor.Meta;

/// <summary>Field names Meta subscribes apps to, and the values this service interprets.</summary>
public static class MetaFields
{
    public const string StatusUpdate = "message_template_status_update";
    public const string CategoryUpdate = "template_category_update";
    public const string QualityUpdate = "message_template_quality_update";
    public const string ComponentsUpdate = "message_template_components_update";
    public const string CorrectCategoryDetection = "template_correct_category_detection";
}
