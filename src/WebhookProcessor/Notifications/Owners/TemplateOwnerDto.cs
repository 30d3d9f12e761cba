namespace WebhookProcessor.Notifications;

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
