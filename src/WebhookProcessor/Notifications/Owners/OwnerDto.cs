namespace WebhookProcessor.Notifications;

/// <summary>An owner as the API shows it. The Teams URL's query (its <c>sig</c> credential) is never shown.</summary>
public sealed record OwnerDto(
    string OwnerId,
    string DisplayName,
    IReadOnlyList<string> Emails,
    string? TeamsWebhookUrl,
    string Language,
    OwnerMatchInput Match,
    bool IsDefault)
{
    public static OwnerDto From(Owner o) => new(
        o.Id, o.DisplayName, o.Emails, o.TeamsWebhookUrl is { } url ? WebhookUrls.Redact(url) : null, o.Language,
        new OwnerMatchInput(o.Match.WabaId, o.Match.TemplateNamePattern), o.IsDefault);
}
