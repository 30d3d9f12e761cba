namespace WebhookProcessor.Notifications;

public sealed record OwnerMatchInput(string? WabaId, string? TemplateNamePattern);
