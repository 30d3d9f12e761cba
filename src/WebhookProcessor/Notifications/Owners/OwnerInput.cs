namespace WebhookProcessor.Notifications;

/// <summary>The body of <c>PUT /api/owners/{ownerId}</c>, and one entry of the owners seed file (with its id).</summary>
public sealed record OwnerInput(
    string? Id,
    string? DisplayName,
    IReadOnlyList<string?>? Emails,
    string? TeamsWebhookUrl,
    string? Language,
    OwnerMatchInput? Match);
