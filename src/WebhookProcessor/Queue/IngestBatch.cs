namespace WebhookProcessor.Queue;

/// <summary>What one webhook POST produces: the changes to queue and the parts that could not be understood.</summary>
public sealed record IngestBatch(IReadOnlyList<ChangeMessage> Changes, IReadOnlyList<DeadLetter> DeadLetters)
{
    /// <summary>The same batch with every change carrying <paramref name="traceParent"/>; itself when there is none.</summary>
    public IngestBatch WithTraceParent(string? traceParent) =>
        traceParent is null || Changes.Count == 0
            ? this
            : this with { Changes = Changes.Select(c => c with { TraceParent = traceParent }).ToList() };
}
