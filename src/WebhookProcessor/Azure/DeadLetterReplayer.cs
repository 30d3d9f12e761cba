using System.Text;
using System.Text.Json;
using WebhookProcessor.Ops;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Azure;

/// <summary>
/// Replays a dead letter from whichever store holds it (the SQLite queue's, the Table store's or the
/// broker's dead-letter sub-queue, all behind <see cref="IQueueMonitor"/>): rebuilds the change, puts
/// it on the queue and only then removes the dead letter, so a failure in between leaves it listed
/// (a second replay is harmless: history's event id makes it exactly-once). It lives with the
/// Service Bus adapter because the queued change format (<see cref="ChangeMessageCodec"/>) does.
/// </summary>
public sealed partial class DeadLetterReplayer(IQueueMonitor monitor, IEventQueue queue, ILogger<DeadLetterReplayer> logger) : IDeadLetterReplayer
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public async Task<ReplayResult> ReplayAsync(string id, CancellationToken cancellationToken = default)
    {
        if (await monitor.GetDeadLetterAsync(id, cancellationToken) is not { } stored)
        {
            return ReplayResult.NotFound;
        }

        if (Rebuild(stored.DeadLetter) is not { } change)
        {
            return ReplayResult.Refused(
                "Its body is neither a queued change message nor a webhook change whose event id, account and field are known "
                + "(an intake dead letter of a webhook that could not be read has none of them): nothing here can be queued. "
                + "Fix the webhook at its source, or read the body at its bodyUrl.");
        }

        if (queue is ServiceBusEventQueue bus)
        {
            await bus.RequeueAsync(change, cancellationToken);
        }
        else
        {
            await queue.EnqueueAsync(new IngestBatch([change], []), cancellationToken);
        }

        var removed = await monitor.RemoveDeadLetterAsync(id, cancellationToken);
        Log.Replayed(logger, id, change.EventId, removed);
        return ReplayResult.Replayed(change.EventId, removed);
    }

    /// <summary>
    /// The change a dead letter holds: a body in the queued format as it is, or a raw change
    /// (<c>{"field":…,"value":…}</c>, as the SQLite queue keeps them) with the event id, account and
    /// field the dead letter recorded. The entry time is not kept with those, so the received time
    /// stands in for it. Null when neither applies.
    /// </summary>
    internal static ChangeMessage? Rebuild(DeadLetter deadLetter)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(deadLetter.Body);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        try
        {
            return ChangeMessageCodec.Decode(text);
        }
        catch (FormatException)
        {
            // Not the queued format; it may still be a raw change.
        }

        if (deadLetter is not { MessageId: { Length: > 0 } eventId, WabaId: { Length: > 0 } wabaId, Field: { Length: > 0 } field } || !IsChange(text))
        {
            return null;
        }

        return new ChangeMessage(eventId, wabaId, field, null, deadLetter.ReceivedAt, text);
    }

    private static bool IsChange(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("value", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9141, Level = LogLevel.Information, Message = "Dead letter {Id} replayed as event {EventId}; removed: {Removed}")]
        public static partial void Replayed(ILogger logger, string id, string eventId, bool removed);
    }
}
