using WebhookProcessor.Catalog;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Processing;

public enum ProcessResult
{
    Applied,
    Stale,
    Duplicate,
    Malformed,
}

public sealed record ProcessOutcome(ChangeMessage Message, ProcessResult Result, string? Error = null);

/// <summary>
/// Applies queued changes to catalog and history. Used by the embedded worker and by the Azure
/// queue trigger alike. Malformed changes are reported, not thrown; a thrown exception means the
/// store failed and the whole batch may be retried safely, because history is keyed by event id.
/// </summary>
public sealed class TemplateEventProcessor(ITemplateStore store, TimeProvider clock)
{
    public async Task<IReadOnlyList<ProcessOutcome>> ProcessAsync(IReadOnlyList<ChangeMessage> messages, CancellationToken cancellationToken = default)
    {
        var outcomes = new ProcessOutcome?[messages.Count];
        var parsed = new List<(int Index, TemplateEvent Event)>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            try
            {
                parsed.Add((i, TemplateEventParser.Parse(messages[i])));
            }
            catch (MalformedChangeException ex)
            {
                outcomes[i] = new ProcessOutcome(messages[i], ProcessResult.Malformed, ex.Message);
            }
        }

        if (parsed.Count > 0)
        {
            var results = await store.ApplyAsync(parsed.Select(p => p.Event).ToList(), clock.GetUtcNow(), cancellationToken);
            for (var j = 0; j < parsed.Count; j++)
            {
                var result = results[j] switch
                {
                    { Duplicate: true } => ProcessResult.Duplicate,
                    { CatalogApplied: true } => ProcessResult.Applied,
                    _ => ProcessResult.Stale,
                };
                outcomes[parsed[j].Index] = new ProcessOutcome(messages[parsed[j].Index], result);
            }
        }

        return outcomes.Select(o => o!).ToList();
    }
}
