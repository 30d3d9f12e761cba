namespace WebhookProcessor.Notifications;

/// <summary>A person or team that owns templates and receives their alerts.</summary>
public sealed record Owner
{
    public required string Id { get; init; }
    public required string DisplayName { get; init; }
    public IReadOnlyList<string> Emails { get; init; } = [];
    public string? TeamsWebhookUrl { get; init; }

    /// <summary><c>es</c> or <c>en</c>.</summary>
    public string Language { get; init; } = OwnerLanguages.Spanish;
    public OwnerMatch Match { get; init; } = new(null, null);

    /// <summary>An owner that matches nothing in particular catches every template nobody else owns.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsDefault => Match.WabaId is null && Match.TemplateNamePattern is null;
}
