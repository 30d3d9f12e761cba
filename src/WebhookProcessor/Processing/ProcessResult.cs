namespace WebhookProcessor.Processing;

public enum ProcessResult
{
    Applied,
    Stale,
    Duplicate,
    Malformed,
}
