namespace WebhookProcessor.Notifications;

/// <summary>How an owner was chosen for a template, most specific first.</summary>
public enum OwnerMatchKind
{
    AccountAndPattern,
    Pattern,
    Account,
    Default,
}
