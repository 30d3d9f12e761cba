namespace WebhookProcessor.Webhooks;

/// <summary>A well-formed body nested deeper than <see cref="JsonLimits.MaxDepth"/>: refused at intake, never stored.</summary>
public sealed class BodyTooDeepException : Exception
{
    public BodyTooDeepException(string message)
        : base(message)
    {
    }

    public BodyTooDeepException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BodyTooDeepException()
    {
    }
}
