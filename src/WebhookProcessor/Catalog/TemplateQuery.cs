namespace WebhookProcessor.Catalog;

public sealed record TemplateQuery(
    string? WabaId = null,
    string? Status = null,
    string? Category = null,
    bool? PendingChange = null,
    int Limit = 50,
    string? Cursor = null);
