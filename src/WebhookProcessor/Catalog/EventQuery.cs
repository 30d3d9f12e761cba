namespace WebhookProcessor.Catalog;

public sealed record EventQuery(
    string? WabaId = null,
    long? TemplateId = null,
    string? Field = null,
    string? Event = null,
    EventKind? Kind = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int Limit = 50,
    string? Cursor = null);
