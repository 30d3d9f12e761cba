using System.Globalization;

namespace WebhookProcessor.Functions;

/// <summary>
/// The application properties a scheduled retry carries, readable in the portal or Service Bus
/// Explorer without decoding the body, and the retry's message id.
/// </summary>
public static class RetryProperties
{
    /// <summary>The try this copy is for: 2 for the first retry (the intake's message was try 1).</summary>
    public const string Attempt = "retryAttempt";

    /// <summary>When the first try failed (ISO 8601, UTC): the retry time limit counts from it.</summary>
    public const string FirstFailedAt = "firstFailedAt";

    /// <summary>The longest message id Service Bus accepts.</summary>
    public const int MaxMessageIdLength = 128;

    /// <summary>
    /// <c>{eventId}/retry/{n}</c>: new for each retry, so the queue's duplicate detection (which would
    /// drop a second message with the event id) lets it through, and still naming the event.
    /// </summary>
    public static string MessageId(string eventId, int attempt)
    {
        var suffix = string.Create(CultureInfo.InvariantCulture, $"/retry/{attempt}");
        return eventId.Length + suffix.Length <= MaxMessageIdLength
            ? eventId + suffix
            : string.Concat(eventId.AsSpan(0, MaxMessageIdLength - suffix.Length), suffix);
    }

    /// <summary>How many retries came before (0 for an intake message) and the first failure's time, from a message's properties.</summary>
    public static (int Retries, DateTimeOffset? FirstFailedAt) Read(IReadOnlyDictionary<string, string?> properties)
    {
        var retries = properties.TryGetValue(Attempt, out var attempt)
            && int.TryParse(attempt, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number > 1
                ? number - 1
                : 0;
        DateTimeOffset? first = properties.TryGetValue(FirstFailedAt, out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : null;
        return (retries, first);
    }
}
