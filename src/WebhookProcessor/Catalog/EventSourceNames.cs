namespace WebhookProcessor.Catalog;

public static class EventSourceNames
{
    public static string ToApiName(this EventSource source) => source switch
    {
        EventSource.Reconciliation => "reconciliation",
        _ => "webhook",
    };

    /// <summary>
    /// Rows written before events had a source carry none: they were all webhooks. An unknown name is not
    /// guessed at; it fails the read so a row from a newer version is not shown as something it is not.
    /// </summary>
    public static EventSource FromStored(string? name) => name switch
    {
        null or "webhook" => EventSource.Webhook,
        "reconciliation" => EventSource.Reconciliation,
        _ => throw new InvalidDataException($"Unknown event source '{name}' in the history."),
    };
}
