using WebhookProcessor.Storage;

namespace WebhookProcessor.Notifications;

/// <summary>Owners and the alert outbox. Implementations: SQLite (embedded default) and, on Azure, Table Storage.</summary>
public interface INotificationStore
{
    Task<IReadOnlyList<Owner>> ListOwnersAsync(CancellationToken cancellationToken = default);

    Task<Owner?> GetOwnerAsync(string ownerId, CancellationToken cancellationToken = default);

    /// <summary>Owners in id order, <paramref name="limit"/> at a time.</summary>
    /// <exception cref="FormatException">The cursor is not one this store issued.</exception>
    Task<Page<Owner>> ListOwnersPageAsync(int limit, string? cursor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates or replaces an owner unless another owner has the same match (see <see cref="OwnerMatchKey"/>);
    /// the check is one indexed lookup, made atomically with the write.
    /// </summary>
    Task<OwnerSaveResult> SaveOwnerAsync(Owner owner, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces an owner; true when it was created.</summary>
    /// <exception cref="InvalidOperationException">Another owner has the same match.</exception>
    async Task<bool> UpsertOwnerAsync(Owner owner, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var result = await SaveOwnerAsync(owner, now, cancellationToken);
        return result.ClashingOwnerId is { } other
            ? throw new InvalidOperationException($"Owner '{owner.Id}' has the same match as owner '{other}'; give one of them another match.")
            : result.Created;
    }

    Task<bool> DeleteOwnerAsync(string ownerId, CancellationToken cancellationToken = default);

    /// <summary>Adds alerts (insert-or-ignore on their id); returns how many were new.</summary>
    Task<int> AddAsync(IReadOnlyList<PlannedAlert> alerts, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task<Notification?> GetAsync(string notificationId, CancellationToken cancellationToken = default);

    Task<Page<Notification>> QueryAsync(NotificationQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes up to <paramref name="limit"/> pending alerts of one channel that are due and marks them
    /// <c>sending</c> until <paramref name="claimFor"/> from now, so the next poll does not take them again.
    /// A claim that runs out (its outcome could not be recorded) makes the alert due again.
    /// </summary>
    Task<IReadOnlyList<Notification>> TakeDueAsync(AlertChannel channel, DateTimeOffset now, TimeSpan claimFor, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// At start-up: alerts a previous run was sending when it stopped become pending and due now. The
    /// channel may have accepted some of them just before the stop; those are sent again (at least once).
    /// </summary>
    Task<int> ReleaseClaimsAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    Task MarkSentAsync(string notificationId, int attempts, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Records a failed delivery round: pending again at <paramref name="retryAt"/>, or failed for good when it is null.</summary>
    Task MarkFailedAttemptAsync(string notificationId, int attempts, string error, DateTimeOffset? retryAt, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Makes a failed alert pending again, due now. False when it is not failed.</summary>
    Task<bool> ResendAsync(string notificationId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Marks an unrouted alert as handed to the owner that now matches (its per-recipient alerts were added).</summary>
    Task MarkReroutedAsync(string notificationId, string ownerId, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task<NotificationStats> GetStatsAsync(CancellationToken cancellationToken = default);
}
