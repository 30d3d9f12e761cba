namespace WebhookProcessor.Notifications;

/// <summary>What saving an owner did: created it, replaced it, or refused because another owner has the same match.</summary>
/// <param name="ClashingOwnerId">The owner that already has this match; when set, nothing was written.</param>
public sealed record OwnerSaveResult(bool Created, string? ClashingOwnerId = null)
{
    public bool Saved => ClashingOwnerId is null;

    public static OwnerSaveResult Clash(string ownerId) => new(false, ownerId);
}
