using Azure;

namespace WebhookProcessor.Azure;

/// <summary>
/// Tells store failures that no retry can cure from those that may pass. Table Storage refuses an
/// entity, a property or a transaction over its size limits with these error codes, and the same
/// change is refused the same way every time; anything else (throttling, timeouts, an outage, even a
/// misconfiguration an operator can fix) is worth trying again.
/// </summary>
public static class PermanentStoreFailure
{
    private static readonly HashSet<string> SizeErrorCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "EntityTooLarge",
        "PropertyValueTooLarge",
        "RequestBodyTooLarge",
        "PropertyNameTooLong",
        "TooManyProperties",
    };

    /// <summary>Why <paramref name="exception"/> (or one it wraps) can never succeed; null when a retry may help.</summary>
    public static string? Describe(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is RequestFailedException { ErrorCode: { } code } failed && SizeErrorCodes.Contains(code))
            {
                return $"Table Storage refused the change as too large ({failed.Status} {code}): an entity holds at most 1 MiB and a property 64 KiB.";
            }
        }

        return null;
    }
}
