namespace WebhookProcessor.AzureRest.Tables;

/// <summary>One response's worth of entities. A page can be empty and still have a <see cref="Continuation"/>: keep asking until it is null.</summary>
public sealed record TablePage(IReadOnlyList<TableEntity> Items, string? Continuation);
