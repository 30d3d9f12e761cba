namespace WebhookProcessor.Storage;

/// <summary>One page of a newest-first listing; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
