using WebhookProcessor.Notifications;

namespace WebhookProcessor.Ops;

/// <summary>
/// Checks and saves one owner. <c>PUT /api/owners/{id}</c> and the console's owner form both come here,
/// so the same fields are refused with the same words.
/// </summary>
public static class OwnerSaving
{
    public static async Task<OwnerSaveAttempt> SaveAsync(
        string? ownerId, OwnerInput? input, INotificationStore store, NotificationOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (owner, errors) = OwnerValidator.Validate(ownerId, input, TeamsUrlPolicy.From(options));
        if (owner is null)
        {
            return new OwnerSaveAttempt(null, errors, null);
        }

        // The store checks for a clash with one indexed lookup, atomically with the write.
        var saved = await store.SaveOwnerAsync(owner, now, cancellationToken);
        return new OwnerSaveAttempt(owner, errors, saved);
    }

    /// <summary>Why a save was refused because another owner has the same match, in the API's words.</summary>
    public static string ClashDetail(Owner owner, string clash)
    {
        var what = owner.IsDefault ? "the default owner (no match)" : "the same match";
        return $"Owner '{clash}' already has {what}; change its match or this one's, or update '{clash}' instead.";
    }
}
