namespace WebhookProcessor.Notifications;

/// <summary>What a language says about one case: what happened, and what the owner can do.</summary>
internal sealed record AlertBody(IReadOnlyList<string> Paragraphs, IReadOnlyList<string> Actions);
