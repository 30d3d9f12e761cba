namespace WebhookProcessor.Catalog;

/// <summary>
/// What one event does, decided outside the store: the record to store (null: nothing to store),
/// whether the event changed the catalog (false: it is stale or says nothing the catalog keeps), and the
/// outbox items to write in the same commit as the event's history row.
/// </summary>
public sealed record EventDecision(TemplateRecord? Next, bool Applied, IReadOnlyList<OutboxItem> Outbox)
{
    public static EventDecision Of(CatalogDecision decision) => new(decision.Next, decision.Applied, []);
}
