namespace WebhookProcessor.Catalog;

/// <param name="NameContains">Part of the template's name, matched case-insensitively (ASCII letters fold; Meta's names are lower-case ASCII).</param>
/// <param name="Quality">The quality score exactly as stored (GREEN, YELLOW, RED, UNKNOWN).</param>
public sealed record TemplateQuery(
    string? WabaId = null,
    string? Status = null,
    string? Category = null,
    bool? PendingChange = null,
    int Limit = 50,
    string? Cursor = null,
    string? NameContains = null,
    string? Quality = null);
