using System.Globalization;
using Azure.Messaging.ServiceBus;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Azure;

/// <summary>
/// The queue's dead-letter sub-queue, where Service Bus moves a message that failed
/// <c>maxDeliveryCount</c> times (or that the in-process worker dead-lettered). Listing and reading
/// peek, so nothing is locked or removed; a dead letter's id is <c>sb-</c> and its sequence number,
/// which cannot clash with a Table dead letter's number. Removing one receives from the sub-queue
/// until that sequence number comes up, completes it and abandons the others it had to lock.
/// </summary>
public sealed partial class ServiceBusDeadLetterQueue(ServiceBusReceiver receiver, ILogger<ServiceBusDeadLetterQueue> logger) : IAsyncDisposable
{
    public const string IdPrefix = "sb-";

    /// <summary>At most this many dead letters are locked while looking for one to remove.</summary>
    public const int MaxScan = 5000;

    private const int PeekBatch = 100;
    private static readonly TimeSpan ReceiveWait = TimeSpan.FromSeconds(3);

    // One removal at a time: two scans would lock each other's messages and each miss its own.
    private readonly SemaphoreSlim _removal = new(1, 1);

    public static string IdOf(long sequenceNumber) => IdPrefix + sequenceNumber.ToString(CultureInfo.InvariantCulture);

    /// <summary>The sequence number in an id of this queue; false for any other id.</summary>
    public static bool TryParseId(string id, out long sequenceNumber)
    {
        sequenceNumber = 0;
        return id.StartsWith(IdPrefix, StringComparison.Ordinal)
            && long.TryParse(id.AsSpan(IdPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out sequenceNumber);
    }

    /// <summary>
    /// Up to <paramref name="count"/> dead letters from <paramref name="fromSequenceNumber"/> on, oldest
    /// first (the order the broker peeks in). A peek can return fewer than asked while more remain, so
    /// this peeks again until it has enough or the sub-queue has no more.
    /// </summary>
    public async Task<IReadOnlyList<ServiceBusReceivedMessage>> PeekAsync(int count, long fromSequenceNumber, CancellationToken cancellationToken = default)
    {
        var found = new List<ServiceBusReceivedMessage>(Math.Min(count, PeekBatch));
        var from = fromSequenceNumber;
        while (found.Count < count)
        {
            var peeked = await receiver.PeekMessagesAsync(Math.Min(count - found.Count, PeekBatch), from, cancellationToken);
            var fresh = peeked.Where(m => m.SequenceNumber >= from).ToList();
            if (fresh.Count == 0)
            {
                break;
            }

            found.AddRange(fresh);
            from = fresh[^1].SequenceNumber + 1;
        }

        return found;
    }

    /// <summary>The dead letter with this sequence number, or null when the sub-queue has none.</summary>
    public async Task<ServiceBusReceivedMessage?> PeekOneAsync(long sequenceNumber, CancellationToken cancellationToken = default)
    {
        var peeked = await receiver.PeekMessagesAsync(1, sequenceNumber, cancellationToken);
        return peeked.FirstOrDefault(m => m.SequenceNumber == sequenceNumber);
    }

    /// <summary>Removes the dead letter with this sequence number; false when the sub-queue no longer has it.</summary>
    /// <exception cref="InvalidOperationException">It was not among the first <see cref="MaxScan"/> dead letters received.</exception>
    public async Task<bool> RemoveAsync(long sequenceNumber, CancellationToken cancellationToken = default)
    {
        await _removal.WaitAsync(cancellationToken);
        var others = new List<ServiceBusReceivedMessage>();
        try
        {
            while (others.Count < MaxScan)
            {
                var received = await receiver.ReceiveMessagesAsync(PeekBatch, ReceiveWait, cancellationToken);
                if (received.Count == 0)
                {
                    return false;
                }

                foreach (var message in received)
                {
                    if (message.SequenceNumber == sequenceNumber)
                    {
                        await receiver.CompleteMessageAsync(message, cancellationToken);
                        // The rest of this batch is released with the others.
                        others.AddRange(received.Where(m => !ReferenceEquals(m, message)));
                        return true;
                    }
                }

                others.AddRange(received);
            }

            throw new InvalidOperationException($"Dead letter {IdOf(sequenceNumber)} was not among the first {MaxScan} messages of the dead-letter sub-queue; it was not removed.");
        }
        finally
        {
            await ReleaseAsync(others);
            _removal.Release();
        }
    }

    public static DeadLetterSummary Summarize(ServiceBusReceivedMessage message) => new(
        IdOf(message.SequenceNumber),
        message.MessageId,
        DeadLetterSource.Broker,
        message.DeadLetterReason ?? "(no reason given)",
        message.EnqueuedTime,
        // Service Bus does not record when it dead-lettered a message; the enqueued time is the best it offers.
        message.EnqueuedTime,
        Property(message, ServiceBusEventQueue.WabaIdProperty),
        Property(message, ServiceBusEventQueue.FieldProperty) ?? message.Subject,
        message.DeliveryCount,
        message.Body.ToMemory().Length,
        message.DeadLetterErrorDescription);

    public static StoredDeadLetter Read(ServiceBusReceivedMessage message)
    {
        var summary = Summarize(message);
        return new StoredDeadLetter(summary.Id, new DeadLetter(
            summary.MessageId,
            summary.Source,
            summary.Description is { Length: > 0 } description ? $"{summary.Reason}: {description}" : summary.Reason,
            summary.ReceivedAt,
            summary.DeadLetteredAt,
            message.Body.ToArray(),
            summary.WabaId,
            summary.Field,
            summary.DeliveryCount));
    }

    public async ValueTask DisposeAsync()
    {
        await receiver.DisposeAsync();
        _removal.Dispose();
    }

    private static string? Property(ServiceBusReceivedMessage message, string name) =>
        message.ApplicationProperties.TryGetValue(name, out var value) ? value?.ToString() : null;

    /// <summary>Gives back the dead letters locked while looking; if that fails their locks expire and they come back anyway.</summary>
    private async Task ReleaseAsync(List<ServiceBusReceivedMessage> messages)
    {
        foreach (var message in messages)
        {
            try
            {
                await receiver.AbandonMessageAsync(message, cancellationToken: CancellationToken.None);
            }
            catch (ServiceBusException ex)
            {
                Log.ReleaseFailed(logger, message.SequenceNumber, ex);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9131, Level = LogLevel.Warning, Message = "Dead letter sb-{SequenceNumber} could not be released after a search; its lock expires on its own")]
        public static partial void ReleaseFailed(ILogger logger, long sequenceNumber, Exception exception);
    }
}
