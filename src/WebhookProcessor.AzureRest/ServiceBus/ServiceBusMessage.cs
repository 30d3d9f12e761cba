namespace WebhookProcessor.AzureRest.ServiceBus;

/// <summary>
/// A message to send. The body is text (sent as UTF-8) because the REST batch format carries bodies
/// as JSON strings. <see cref="MessageId"/> is required: with duplicate detection on the entity it is
/// what makes a retried POST harmless.
/// </summary>
public sealed class ServiceBusMessage
{
    /// <summary>The longest <see cref="MessageId"/> and <see cref="SessionId"/> Service Bus accepts.</summary>
    public const int MaxIdLength = 128;

    public ServiceBusMessage(string messageId, string body)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentNullException.ThrowIfNull(body);
        if (messageId.Length > MaxIdLength)
        {
            throw new ArgumentException($"A MessageId is at most {MaxIdLength} characters; this one has {messageId.Length}.", nameof(messageId));
        }

        MessageId = messageId;
        Body = body;
    }

    public string MessageId { get; }

    public string Body { get; }

    /// <summary>The body's media type, e.g. <c>application/json</c>.</summary>
    public string? ContentType { get; init; }

    public string? SessionId { get; init; }

    public string? CorrelationId { get; init; }

    /// <summary>Sent as the broker property <c>Label</c>.</summary>
    public string? Subject { get; init; }

    public TimeSpan? TimeToLive { get; init; }

    /// <summary>
    /// Application properties. Only strings: over HTTP the broker infers a type from the header's
    /// spelling, so every value is sent quoted and arrives as a string.
    /// </summary>
    public IReadOnlyDictionary<string, string> ApplicationProperties { get; init; } = new Dictionary<string, string>();
}
