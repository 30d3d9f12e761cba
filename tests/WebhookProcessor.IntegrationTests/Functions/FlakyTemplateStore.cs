using WebhookProcessor.Catalog;
using WebhookProcessor.Storage;

namespace WebhookProcessor.IntegrationTests.Functions;

/// <summary>
/// A real template store whose first <c>failures</c> commits throw, as a store does during a short
/// outage; everything else, and every later commit, goes to the real store.
/// </summary>
public sealed class FlakyTemplateStore(ITemplateStore inner, int failures, Func<Exception> error) : ITemplateStore
{
    private int _failuresLeft = failures;

    public int Calls { get; private set; }

    public Task<IReadOnlyList<ApplyResult>> ApplyAsync(
        IReadOnlyList<TemplateEvent> events,
        DateTimeOffset now,
        Func<TemplateRecord?, TemplateEvent, EventDecision> decide,
        CancellationToken cancellationToken = default)
    {
        Calls++;
        return Interlocked.Decrement(ref _failuresLeft) >= 0
            ? Task.FromException<IReadOnlyList<ApplyResult>>(error())
            : inner.ApplyAsync(events, now, decide, cancellationToken);
    }

    public Task<TemplateRecord?> GetTemplateAsync(long templateId, CancellationToken cancellationToken = default) =>
        inner.GetTemplateAsync(templateId, cancellationToken);

    public Task<IReadOnlyList<string>> ListAccountsAsync(CancellationToken cancellationToken = default) =>
        inner.ListAccountsAsync(cancellationToken);

    public Task<Page<TemplateRecord>> QueryTemplatesAsync(TemplateQuery query, CancellationToken cancellationToken = default) =>
        inner.QueryTemplatesAsync(query, cancellationToken);

    public Task<Page<StoredEvent>> QueryEventsAsync(EventQuery query, CancellationToken cancellationToken = default) =>
        inner.QueryEventsAsync(query, cancellationToken);

    public Task<IReadOnlyList<DailyEventCount>> CountEventsByDayAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        inner.CountEventsByDayAsync(from, to, cancellationToken);

    public Task<string?> GetEventRawAsync(string eventId, CancellationToken cancellationToken = default) =>
        inner.GetEventRawAsync(eventId, cancellationToken);

    public Task<int> PruneHistoryAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default) =>
        inner.PruneHistoryAsync(cutoff, cancellationToken);

    /// <summary>Wraps the app's own <see cref="ITemplateStore"/> registration (call from a test's service overrides).</summary>
    public static Func<IServiceProvider, ITemplateStore> Wrapping(Microsoft.Extensions.DependencyInjection.IServiceCollection services, int failures, Func<Exception> error)
    {
        var original = services.Last(d => d.ServiceType == typeof(ITemplateStore));
        return sp => new FlakyTemplateStore(
            original.ImplementationInstance as ITemplateStore
                ?? (ITemplateStore?)original.ImplementationFactory?.Invoke(sp)
                ?? (ITemplateStore)Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance(sp, original.ImplementationType!),
            failures,
            error);
    }
}
