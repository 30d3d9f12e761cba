using Azure.Messaging.ServiceBus;
using Azure.Messaging.ServiceBus.Administration;
using Microsoft.Extensions.Options;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Azure;

/// <summary>
/// The queue's figures as the broker itself tells them: active and dead-lettered message counts from the
/// queue's runtime properties (which needs the Manage right: the app's identity has the Data Owner role),
/// and the oldest active message's arrival from a peek, which locks nothing.
/// <para>
/// When the broker does not answer (no Manage right, network, time out) the figures are
/// <see cref="QueueStats.Unknown"/>, never zeros, and the reason is logged. An answer, or the lack of
/// one, is kept for <see cref="CacheFor"/>: a burst of health calls and metric reads asks the namespace once.
/// </para>
/// </summary>
public sealed partial class ServiceBusQueueRuntime(
    ServiceBusAdministrationClient administration,
    ServiceBusReceiver queue,
    IOptions<ServiceBusQueueOptions> options,
    TimeProvider clock,
    ILogger<ServiceBusQueueRuntime> logger) : IDisposable
{
    /// <summary>How long one answer is reused.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    /// <summary>How long the broker gets to answer before the figures are unknown (below common probe time outs).</summary>
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Messages one peek looks at for the oldest active one: scheduled retries (and deferred messages)
    /// come back from a peek too and must be passed over.
    /// </summary>
    internal const int PeekCount = 32;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (QueueStats Stats, DateTimeOffset ReadAt)? _last;

    /// <summary>
    /// The broker's figures: <see cref="QueueStats.DeadLetterCount"/> counts its dead-letter sub-queue only.
    /// <see cref="QueueStats.OldestEnqueuedAt"/> is null with a depth above 0 when the peek failed or found
    /// only scheduled messages among the first <see cref="PeekCount"/>.
    /// </summary>
    public async Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        if (Fresh() is { } fresh)
        {
            return fresh;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have read them while this one waited.
            if (Fresh() is { } justRead)
            {
                return justRead;
            }

            var stats = await ReadAsync(cancellationToken);
            _last = (stats, clock.GetUtcNow());
            return stats;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private QueueStats? Fresh() =>
        _last is { } last && clock.GetUtcNow() - last.ReadAt < CacheFor ? last.Stats : null;

    private async Task<QueueStats> ReadAsync(CancellationToken cancellationToken)
    {
        var name = options.Value.QueueName;
        using var timeout = new CancellationTokenSource(AnswerWithin, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        QueueRuntimeProperties runtime;
        try
        {
            runtime = (await administration.GetQueueRuntimePropertiesAsync(name, linked.Token)).Value;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Log.RuntimeTimedOut(logger, name, AnswerWithin.TotalSeconds);
            return QueueStats.Unknown;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // UnauthorizedAccessException without the Manage right; ServiceBusException or RequestFailedException otherwise.
            Log.RuntimeUnknown(logger, name, ex);
            return QueueStats.Unknown;
        }

        DateTimeOffset? oldest = null;
        if (runtime.ActiveMessageCount > 0)
        {
            try
            {
                // From sequence number 0, not the receiver's last peek position, which later calls would continue from.
                var peeked = await queue.PeekMessagesAsync(PeekCount, 0, linked.Token);
                oldest = peeked.Where(m => m.State == ServiceBusMessageState.Active).Select(m => (DateTimeOffset?)m.EnqueuedTime).Min();
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                Log.PeekTimedOut(logger, name, AnswerWithin.TotalSeconds);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.PeekFailed(logger, name, ex);
            }
        }

        return new QueueStats(runtime.ActiveMessageCount, oldest, runtime.DeadLetterMessageCount);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9151, Level = LogLevel.Warning, Message = "Service Bus queue {Queue}: its message counts are unknown (the app's identity or key needs the Manage right to read them)")]
        public static partial void RuntimeUnknown(ILogger logger, string queue, Exception exception);

        [LoggerMessage(EventId = 9152, Level = LogLevel.Warning, Message = "Service Bus queue {Queue}: its message counts are unknown (no answer within {Seconds} s)")]
        public static partial void RuntimeTimedOut(ILogger logger, string queue, double seconds);

        [LoggerMessage(EventId = 9153, Level = LogLevel.Warning, Message = "Service Bus queue {Queue}: the oldest message's age is unknown (the peek failed)")]
        public static partial void PeekFailed(ILogger logger, string queue, Exception exception);

        [LoggerMessage(EventId = 9154, Level = LogLevel.Warning, Message = "Service Bus queue {Queue}: the oldest message's age is unknown (no peek answer within {Seconds} s)")]
        public static partial void PeekTimedOut(ILogger logger, string queue, double seconds);
    }
}
