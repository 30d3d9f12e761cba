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

/// <summary>Which templates an owner owns: by account, by name pattern (<c>*</c> and <c>?</c>), or both.</summary>
public sealed record OwnerMatch(string? WabaId, string? TemplateNamePattern);

public static class OwnerLanguages
{
    public const string Spanish = "es";
    public const string English = "en";

    public static bool IsSupported(string language) => language is Spanish or English;
}
