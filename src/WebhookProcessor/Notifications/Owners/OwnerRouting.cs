namespace WebhookProcessor.Notifications;

/// <summary>
/// Picks a template's owner: account and pattern beat a pattern alone, which beats an account alone,
/// which beats the default owner. Among equals, the pattern with more literal characters wins (it
/// says more about the name), then the lower owner id, so the answer never depends on storage order.
/// </summary>
public static class OwnerRouting
{
    public static ResolvedOwner? Resolve(IReadOnlyList<Owner> owners, string? wabaId, string? templateName)
    {
        ResolvedOwner? best = null;
        var bestLiterals = -1;
        foreach (var owner in owners)
        {
            if (Classify(owner.Match, wabaId, templateName) is not { } kind)
            {
                continue;
            }

            var literals = owner.Match.TemplateNamePattern is { } pattern ? Glob.LiteralCount(pattern) : 0;
            if (best is null
                || kind < best.MatchedBy
                || (kind == best.MatchedBy && literals > bestLiterals)
                || (kind == best.MatchedBy && literals == bestLiterals && string.CompareOrdinal(owner.Id, best.Owner.Id) < 0))
            {
                best = new ResolvedOwner(owner, kind);
                bestLiterals = literals;
            }
        }

        return best;
    }

    private static OwnerMatchKind? Classify(OwnerMatch match, string? wabaId, string? templateName)
    {
        var accountMatches = match.WabaId is null || string.Equals(match.WabaId, wabaId, StringComparison.Ordinal);
        var nameMatches = match.TemplateNamePattern is null || (templateName is not null && Glob.IsMatch(match.TemplateNamePattern, templateName));
        if (!accountMatches || !nameMatches)
        {
            return null;
        }

        return (match.WabaId, match.TemplateNamePattern) switch
        {
            (not null, not null) => OwnerMatchKind.AccountAndPattern,
            (null, not null) => OwnerMatchKind.Pattern,
            (not null, null) => OwnerMatchKind.Account,
            _ => OwnerMatchKind.Default,
        };
    }
}
