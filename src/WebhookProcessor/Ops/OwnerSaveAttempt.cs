using WebhookProcessor.Notifications;

namespace WebhookProcessor.Ops;

/// <summary>What <see cref="OwnerSaving.SaveAsync"/> did.</summary>
/// <param name="Owner">The owner as validated; null when a field was wrong.</param>
/// <param name="Errors">Each wrong field (as the API names it: <c>displayName</c>, <c>emails[0]</c>, <c>match.wabaId</c>…) with what to do.</param>
/// <param name="Saved">What the store did; null when nothing reached it.</param>
public sealed record OwnerSaveAttempt(Owner? Owner, IReadOnlyDictionary<string, string[]> Errors, OwnerSaveResult? Saved);
