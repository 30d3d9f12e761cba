namespace WebhookProcessor.Meta;

/// <summary>
/// The one nesting limit for webhook JSON. Intake refuses a deeper body, and processing reads each change
/// with the same limit; a change sits four levels below the body's root, so anything intake accepted
/// always parses again later.
/// </summary>
public static class JsonLimits
{
    /// <summary>System.Text.Json's own default, so every later reader of a stored change copes with it too.</summary>
    public const int MaxDepth = 64;
}
