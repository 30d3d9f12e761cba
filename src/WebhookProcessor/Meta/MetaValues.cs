namespace WebhookProcessor.Meta;

/// <summary>Meta's values the alert texts branch on. Meta's enums are open: anything else is shown as-is.</summary>
public static class MetaValues
{
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

    public const string Locked = "LOCKED";
    public const string InAppeal = "IN_APPEAL";
    public const string LimitExceeded = "LIMIT_EXCEEDED";
    public const string Unarchived = "UNARCHIVED";
    public const string PendingDeletion = "PENDING_DELETION";
}
