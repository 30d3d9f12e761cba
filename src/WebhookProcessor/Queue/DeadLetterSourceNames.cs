namespace WebhookProcessor.Queue;

/// <summary>How a <see cref="DeadLetterSource"/> is named in metrics: snake case, as OpenTelemetry values are.</summary>
public static class DeadLetterSourceNames
{
    public static string Metric(DeadLetterSource source) => source switch
    {
        DeadLetterSource.Intake => "intake",
        DeadLetterSource.Poison => "poison",
        DeadLetterSource.RetriesExhausted => "retries_exhausted",
        DeadLetterSource.Broker => "broker",
        _ => source.ToString().ToLowerInvariant(),
    };
}
