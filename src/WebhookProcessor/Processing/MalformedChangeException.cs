namespace WebhookProcessor.Processing;

/// <summary>A change that can never be processed, however often it is retried: it goes to the dead letters.</summary>
public sealed class MalformedChangeException : Exception
{
    public MalformedChangeException(string message)
        : base(message)
    {
    }

    public MalformedChangeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MalformedChangeException()
    {
    }
}
