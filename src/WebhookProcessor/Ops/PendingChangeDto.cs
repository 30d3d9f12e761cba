namespace WebhookProcessor.Ops;

/// <param name="EffectiveAt">Null when the date is unknown (the Graph API shows the change without one); <paramref name="EffectiveAtKnown"/> says so plainly.</param>
/// <param name="Overdue">Its effective time plus <c>Reconciliation:OverdueGrace</c> has passed and Meta has not reported it done.</param>
public sealed record PendingChangeDto(string? From, string To, DateTime? EffectiveAt, DateTime AnnouncedAt, bool Overdue = false)
{
    public bool EffectiveAtKnown => EffectiveAt is not null;
}
