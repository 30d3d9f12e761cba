namespace WebhookProcessor.Queue;

public sealed record StoredDeadLetter(long Id, DeadLetter DeadLetter);
