namespace WebhookProcessor.Queue;

public sealed record StoredDeadLetter(string Id, DeadLetter DeadLetter);
