namespace WebhookProcessor.Ops;

public sealed record InfoDto(string? Title, string? Description)
{
    public static InfoDto? From(string? title, string? description) =>
        title is null && description is null ? null : new InfoDto(title, description);
}
