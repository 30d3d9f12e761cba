namespace WebhookProcessor.Telemetry;

/// <summary>The values of the <c>outcome</c> dimension of <c>webhookprocessor.webhooks</c>.</summary>
public static class WebhookOutcomes
{
    /// <summary>Stored, every change queued.</summary>
    public const string Accepted = "accepted";

    /// <summary>Stored, with parts that could not be understood kept as dead letters.</summary>
    public const string DeadLetter = "dead_letter";

    public const string BadSignature = "bad_signature";
    public const string TooLarge = "too_large";

    /// <summary>Unreadable, cut short or nested too deeply.</summary>
    public const string BadRequest = "bad_request";

    /// <summary>The queue failed; answered 500 so Meta sends it again.</summary>
    public const string NotStored = "not_stored";
}
