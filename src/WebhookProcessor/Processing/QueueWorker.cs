using Microsoft.Extensions.Options;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Processing;

/// <summary>
/// The embedded worker: leases batches from the queue's consumer port and applies them. It lives with
/// the processing it drives, so the queue does not depend on processing. Error classes are
/// decided here once: a malformed change is dead-lettered at once; any other failure is retried
/// with exponential backoff and jitter, then dead-lettered after <see cref="QueueOptions.MaxDeliveryCount"/>
/// deliveries. Nothing is completed unless it was applied or recognised as a duplicate.
/// </summary>
public sealed partial class QueueWorker(
    IQueueConsumer queue,
    TemplateEventProcessor processor,
    IOptions<QueueOptions> options,
    TimeProvider clock,
    ILogger<QueueWorker> logger) : BackgroundService
{
    private readonly QueueOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.WorkerEnabled)
        {
            Log.Paused(logger);
            return;
        }

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var leased = await queue.LeaseAsync(_options.BatchSize, stoppingToken);
                if (leased.Count == 0)
                {
                    await queue.WaitForArrivalAsync(_options.IdlePollInterval, stoppingToken);
                    continue;
                }

                await HandleAsync(leased, stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The queue itself failed (disk, lock). Leases expire and the changes come back; back off meanwhile.
                failures++;
                Log.WorkerLoopFailed(logger, failures, ex);
                await Task.Delay(_options.RetryDelay(failures, Random.Shared.NextDouble()), clock, stoppingToken);
            }
        }
    }

    /// <summary>Processes one leased batch; exposed so tests and benchmarks can drive the worker without timing.</summary>
    internal async Task HandleAsync(IReadOnlyList<LeasedMessage> leased, CancellationToken cancellationToken)
    {
        IReadOnlyList<ProcessOutcome> outcomes;
        try
        {
            outcomes = await processor.ProcessAsync(leased.Select(l => l.Message).ToList(), cancellationToken);
        }
        catch (Exception ex) when (leased.Count > 1 && !cancellationToken.IsCancellationRequested)
        {
            // One bad change must not hold its batch hostage: retry them one by one so only it fails.
            Log.BatchFailed(logger, leased.Count, ex);
            foreach (var message in leased)
            {
                await HandleAsync([message], cancellationToken);
            }

            return;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await FailAsync(leased[0], ex, cancellationToken);
            return;
        }

        var done = new List<LeasedMessage>(leased.Count);
        for (var i = 0; i < leased.Count; i++)
        {
            if (outcomes[i].Result == ProcessResult.Malformed)
            {
                Log.Malformed(logger, leased[i].Message.EventId, Security.LogText.Clean(outcomes[i].Error)!);
                await queue.DeadLetterAsync(leased[i], DeadLetterSource.Poison, outcomes[i].Error!, cancellationToken);
            }
            else
            {
                done.Add(leased[i]);
            }
        }

        await queue.CompleteAsync(done, cancellationToken);
    }

    private async Task FailAsync(LeasedMessage message, Exception error, CancellationToken cancellationToken)
    {
        var reason = $"{error.GetType().Name}: {error.Message}";
        if (message.DeliveryCount >= _options.MaxDeliveryCount)
        {
            Log.RetriesExhausted(logger, message.Message.EventId, message.DeliveryCount, error);
            await queue.DeadLetterAsync(message, DeadLetterSource.RetriesExhausted,
                $"Failed on each of {message.DeliveryCount} deliveries; last error: {reason}", cancellationToken);
            return;
        }

        var delay = _options.RetryDelay(message.DeliveryCount, Random.Shared.NextDouble());
        Log.WillRetry(logger, message.Message.EventId, message.DeliveryCount, delay, error);
        await queue.AbandonAsync(message, reason, delay, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Event {EventId} is malformed and was dead-lettered: {Reason}")]
        public static partial void Malformed(ILogger logger, string eventId, string reason);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Event {EventId} failed on delivery {DeliveryCount}; retrying in {Delay}")]
        public static partial void WillRetry(ILogger logger, string eventId, int deliveryCount, TimeSpan delay, Exception exception);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Event {EventId} failed on all {DeliveryCount} deliveries and was dead-lettered")]
        public static partial void RetriesExhausted(ILogger logger, string eventId, int deliveryCount, Exception exception);

        [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "A batch of {Count} events failed; processing them one by one")]
        public static partial void BatchFailed(ILogger logger, int count, Exception exception);

        [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Queue:WorkerEnabled is false: webhooks are accepted and queued but not processed")]
        public static partial void Paused(ILogger logger);

        [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "Worker loop failed ({Failures} in a row); leased events will be redelivered")]
        public static partial void WorkerLoopFailed(ILogger logger, int failures, Exception exception);
    }
}
