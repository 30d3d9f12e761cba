namespace WebhookProcessor.Notifications;

public sealed record ResolvedOwner(Owner Owner, OwnerMatchKind MatchedBy);
