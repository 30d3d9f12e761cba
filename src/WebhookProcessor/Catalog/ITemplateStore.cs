using WebhookProcessor.Storage;

namespace WebhookProcessor.Catalog;

/// <summary>
/// Catalog and history. Implementations: SQLite (embedded default) and, on Azure, Table Storage.
/// </summary>
public interface ITemplateStore
{
    /// <summary>
    /// Records each event in history, insert-first on its event id (an event already there changes
    /// nothing), and for each new one stores what <paramref name="decide"/> says: the next catalog record
    /// and the outbox items, in the same transaction as its history row. The store decides nothing
    /// itself: it calls <paramref name="decide"/> inside that transaction with the record it holds at that
    /// moment, so ordering and duplicates are settled exactly as if the rules ran in the store.
    /// </summary>
    /// <param name="decide">
    /// Pure. It may be called more than once for an event (a concurrent writer forces a retry), and for an
    /// event the store then finds to be a duplicate; only the decision committed with the history row counts.
    /// </param>
    Task<IReadOnlyList<ApplyResult>> ApplyAsync(
        IReadOnlyList<TemplateEvent> events,
        DateTimeOffset processedAt,
        Func<TemplateRecord?, TemplateEvent, EventDecision> decide,
        CancellationToken cancellationToken = default);

    Task<TemplateRecord?> GetTemplateAsync(long templateId, CancellationToken cancellationToken = default);

    /// <summary>The distinct account (WABA) ids of the catalog's templates, in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListAccountsAsync(CancellationToken cancellationToken = default);

    Task<Page<TemplateRecord>> QueryTemplatesAsync(TemplateQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// History newest first, without each event's raw change: <see cref="TemplateEvent.Raw"/> is left
    /// empty and <see cref="StoredEvent.RawBytes"/> gives its size, so a listing never reads the raw
    /// JSON. <see cref="GetEventRawAsync"/> reads one.
    /// </summary>
    Task<Page<StoredEvent>> QueryEventsAsync(EventQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many events of each kind occurred on each UTC day, for events that occurred at or after
    /// <paramref name="from"/> and before <paramref name="to"/>; days and kinds without events are left
    /// out. Ordered by day, then kind.
    /// </summary>
    Task<IReadOnlyList<DailyEventCount>> CountEventsByDayAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>The raw change of one event in history, exactly as received, or null when there is no such event.</summary>
    Task<string?> GetEventRawAsync(string eventId, CancellationToken cancellationToken = default);

    /// <summary>Deletes history received before <paramref name="cutoff"/>; the catalog is kept.</summary>
    Task<int> PruneHistoryAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
