namespace WebhookProcessor.Catalog;

/// <summary>How many events of one kind occurred on one UTC day (by <see cref="TemplateEvent.OccurredAt"/>).</summary>
/// <param name="Kind">The kind's API name (<see cref="EventKindNames.ToApiName"/>).</param>
public sealed record DailyEventCount(DateOnly Day, string Kind, int Count);
