namespace WebhookProcessor.Ops;

/// <param name="EffectiveAt">Null when the date is unknown (the Graph API shows the change without one); <paramref name="EffectiveAtKnown"/> says so plainly.</param>
public sealed record PendingChangeDto(string? From, string To, DateTime? EffectiveAt, DateTime AnnouncedAt)
{
    public bool EffectiveAtKnown => EffectiveAt is not null;
}
