namespace WebhookProcessor.Notifications;

/// <summary>Which templates an owner owns: by account, by name pattern (<c>*</c> and <c>?</c>), or both.</summary>
public sealed record OwnerMatch(string? WabaId, string? TemplateNamePattern);
