namespace WebhookProcessor.Meta;

/// <summary>
/// Meta's values this service branches on: template status events, categories, reasons, quality scores.
/// Meta's enums are open: anything else is kept and shown as-is.
/// </summary>
public static class MetaValues
{
    /// <summary>The envelope's <c>object</c> for WhatsApp Business Account webhooks.</summary>
    public const string WhatsAppBusinessAccount = "whatsapp_business_account";

    // Status events (message_template_status_update's "event"); some are lasting statuses, some are not.
    public const string Approved = "APPROVED";
    public const string Rejected = "REJECTED";
    public const string Pending = "PENDING";
    public const string Paused = "PAUSED";
    public const string Disabled = "DISABLED";
    public const string Flagged = "FLAGGED";
    public const string Reinstated = "REINSTATED";
    public const string Archived = "ARCHIVED";
    public const string Deleted = "DELETED";

    public const string Marketing = "MARKETING";
    public const string Utility = "UTILITY";
    public const string Authentication = "AUTHENTICATION";

    public const string IncorrectCategory = "INCORRECT_CATEGORY";
    public const string TagContentMismatch = "TAG_CONTENT_MISMATCH";
    public const string InvalidFormat = "INVALID_FORMAT";
    public const string AbusiveContent = "ABUSIVE_CONTENT";
    public const string Promotional = "PROMOTIONAL";
    public const string Scam = "SCAM";

    public const string FirstPause = "FIRST_PAUSE";
    public const string SecondPause = "SECOND_PAUSE";
    public const string RateLimitingPause = "RATE_LIMITING_PAUSE";

    public const string Green = "GREEN";
    public const string Yellow = "YELLOW";
    public const string Red = "RED";
    public const string Unknown = "UNKNOWN";

    // Status events the texts name but that need no rule of their own.
    public const string Locked = "LOCKED";
    public const string InAppeal = "IN_APPEAL";
    public const string LimitExceeded = "LIMIT_EXCEEDED";
    public const string Unarchived = "UNARCHIVED";
    public const string PendingDeletion = "PENDING_DELETION";
}
