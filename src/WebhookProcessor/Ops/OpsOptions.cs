namespace WebhookProcessor.Ops;

/// <summary>Settings under <c>Ops</c>: who may query the ops API, and how large its pages may grow.</summary>
public sealed class OpsOptions
{
    public const string SectionName = "Ops";

    /// <summary>Accepted values of the <c>X-Api-Key</c> header; several allow rotation.</summary>
    public List<string> ApiKeys { get; init; } = [];

    /// <summary>
    /// Keys that may read everything and change nothing: the API answers 403 to any other method than
    /// GET or HEAD with one, and the console hides and refuses its actions.
    /// </summary>
    public List<string> ReadOnlyApiKeys { get; init; } = [];

    /// <summary>
    /// The most a list response's items may add up to, in serialized bytes: a page stops early (with a
    /// next cursor) rather than pass it, but always holds at least one item.
    /// </summary>
    public int MaxPageBytes { get; init; } = 1024 * 1024;
}
