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

/// <summary>A template's resolved owner, or null when nobody (not even a default owner) matches.</summary>
public sealed record TemplateOwnerDto(string OwnerId, string DisplayName, string MatchedBy)
{
    public static TemplateOwnerDto? From(ResolvedOwner? resolved) => resolved is null
        ? null
        : new TemplateOwnerDto(resolved.Owner.Id, resolved.Owner.DisplayName, MatchName(resolved.MatchedBy));

    public static string MatchName(OwnerMatchKind kind) => kind switch
    {
        OwnerMatchKind.AccountAndPattern => "account-and-pattern",
        OwnerMatchKind.Pattern => "pattern",
        OwnerMatchKind.Account => "account",
        _ => "default",
    };
}

public sealed record NotificationDto(
    string NotificationId,
    string Kind,
    string Status,
    string? Channel,
    string? Recipient,
    string? OwnerId,
    string Language,
    string EventId,
    string WabaId,
    string? TemplateId,
    string? TemplateName,
    string? TemplateLanguage,
    int Attempts,
    string? LastError,
    DateTime CreatedAt,
    DateTime? NextAttemptAt,
    DateTime? SentAt)
{
    public static NotificationDto From(Notification n) => new(
        n.Id, n.Facts.Kind, n.Status, n.Channel is { } c ? NotificationRows.ChannelName(c) : null,
        n.Channel == AlertChannel.Teams && n.Recipient is { } url ? WebhookUrls.Redact(url) : n.Recipient,
        n.OwnerId, n.Language, n.Facts.EventId, n.Facts.WabaId,
        n.Facts.TemplateId?.ToString(System.Globalization.CultureInfo.InvariantCulture), n.Facts.TemplateName, n.Facts.Language,
        n.Attempts, n.LastError, n.CreatedAt.UtcDateTime,
        n.Status is NotificationStatus.Pending or NotificationStatus.Sending ? n.NextAttemptAt?.UtcDateTime : null,
        n.SentAt?.UtcDateTime);
}
