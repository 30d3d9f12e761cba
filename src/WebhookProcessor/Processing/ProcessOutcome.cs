using WebhookProcessor.Queue;

namespace WebhookProcessor.Processing;

public sealed record ProcessOutcome(ChangeMessage Message, ProcessResult Result, string? Error = null);
