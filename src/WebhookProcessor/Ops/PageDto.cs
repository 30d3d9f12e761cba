namespace WebhookProcessor.Ops;

public sealed record PageDto<T>(IReadOnlyList<T> Items, string? NextCursor);
