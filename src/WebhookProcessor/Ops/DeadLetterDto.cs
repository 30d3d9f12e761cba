using System.Text;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Ops;

public sealed record DeadLetterDto(
    string Id,
    string? EventId,
    string Source,
    string Reason,
    string? WabaId,
    string? Field,
    int DeliveryCount,
    DateTime ReceivedAt,
    DateTime DeadLetteredAt,
    string? RawBody,
    string? RawBodyBase64,
    long? BodyBytes,
    string BodyUrl,
    string? Description = null)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A listed dead letter; its body is null unless it was asked for (<c>includeRaw=true</c>).</summary>
    public static DeadLetterDto From(DeadLetterSummary d, byte[]? body = null)
    {
        string? text = null;
        if (body is not null)
        {
            text = AsText(body);
        }

        return new DeadLetterDto(
            d.Id, d.MessageId, d.Source.ToString(), d.Reason, d.WabaId, d.Field, d.DeliveryCount,
            d.ReceivedAt.UtcDateTime, d.DeadLetteredAt.UtcDateTime, text, body is not null && text is null ? Convert.ToBase64String(body) : null,
            d.BodyBytes ?? body?.LongLength, OpsRoutes.DeadLetterBody(d.Id), d.Description);
    }

    public static DeadLetterDto From(StoredDeadLetter stored)
    {
        var d = stored.DeadLetter;
        return From(
            new DeadLetterSummary(stored.Id, d.MessageId, d.Source, d.Reason, d.ReceivedAt, d.DeadLetteredAt, d.WabaId, d.Field, d.DeliveryCount, d.Body.LongLength),
            d.Body);
    }

    /// <summary>The body as text when it is valid UTF-8; null when it is not (then it is shown as base64 so no byte is lost).</summary>
    internal static string? AsText(byte[] body)
    {
        try
        {
            return StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
