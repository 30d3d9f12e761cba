namespace WebhookProcessor.Ops;

public sealed record RejectionInfoDto(string? Reason, string? Recommendation)
{
    public static RejectionInfoDto? From(string? reason, string? recommendation) =>
        reason is null && recommendation is null ? null : new RejectionInfoDto(reason, recommendation);
}
