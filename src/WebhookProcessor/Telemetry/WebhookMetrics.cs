using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace WebhookProcessor.Telemetry;

/// <summary>
/// Every metric the service reports, on one <see cref="System.Diagnostics.Metrics.Meter"/> made by the
/// host's <see cref="IMeterFactory"/> (so two hosts in one process, as in the tests, keep their
/// measurements apart). Recording costs next to nothing while nobody listens: no exporter, no cost.
/// Names and units follow the OpenTelemetry conventions (seconds for durations, <c>{thing}</c> for counts);
/// dimensions are the short names of <see cref="TelemetryTags"/>. The gauges read the last
/// <see cref="TelemetrySnapshot"/>, which the host refreshes from the stores.
/// </summary>
public sealed class WebhookMetrics
{
    private static readonly double[] LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] LagBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400];
    private static readonly int[] GroupBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
    private static readonly int[] AttemptBuckets = [1, 2, 3, 4, 5, 6, 8, 10, 15, 20];

    private readonly Counter<long> _webhooks;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<int> _groupSize;
    private readonly Counter<long> _events;
    private readonly Histogram<double> _lag;
    private readonly Counter<long> _alertAttempts;
    private readonly Counter<long> _alerts;
    private readonly Histogram<int> _attemptsPerAlert;
    private readonly Counter<long> _deadLetters;
    private readonly Counter<long> _drift;
    private readonly Lock _breakerGate = new();
    private (string Channel, Func<string> State)[] _breakers = [];

    public WebhookMetrics(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(TelemetryNames.Meter, typeof(WebhookMetrics).Assembly.GetName().Version?.ToString(3));
        _webhooks = Meter.CreateCounter<long>("webhookprocessor.webhooks", "{webhook}",
            "Webhook POSTs by outcome: accepted, dead_letter (accepted, with parts kept as dead letters), bad_signature, too_large, bad_request, not_stored.");
        _commitDuration = Meter.CreateHistogram("webhookprocessor.ingest.commit.duration", "s",
            "Time from handing a webhook's changes to the queue until they were durably stored.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _groupSize = Meter.CreateHistogram("webhookprocessor.ingest.commit.group_size", "{operation}",
            "Queue writes that shared one SQLite commit (the embedded queue's group commit).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = GroupBuckets });
        _events = Meter.CreateCounter<long>("webhookprocessor.events", "{event}",
            "Queued changes processed, by kind and result: applied, stale, duplicate, malformed.");
        _lag = Meter.CreateHistogram("webhookprocessor.processing.lag", "s",
            "Time from a webhook's receipt to its change being committed to the catalog.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBuckets });
        _alertAttempts = Meter.CreateCounter<long>("webhookprocessor.alert.attempts", "{attempt}",
            "Alert delivery rounds, by channel and outcome: sent, retry (failed, tried again later), failed (given up).");
        _alerts = Meter.CreateCounter<long>("webhookprocessor.alerts", "{alert}",
            "Alerts that reached a final state, by channel and outcome: sent or failed.");
        _attemptsPerAlert = Meter.CreateHistogram("webhookprocessor.alert.attempts_per_alert", "{attempt}",
            "Delivery rounds an alert took to reach its final state.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = AttemptBuckets });
        _deadLetters = Meter.CreateCounter<long>("webhookprocessor.dead_letters", "{message}",
            "Changes or bodies set aside as dead letters, by source: intake, poison, retries_exhausted, broker.");
        _drift = Meter.CreateCounter<long>("webhookprocessor.reconciliation.drift", "{difference}",
            "Differences a reconciliation with Meta's Graph API found between Meta and the catalog, by kind.");

        Meter.CreateObservableGauge("webhookprocessor.queue.depth", () => Gauge(Snapshot.QueueDepth), "{message}",
            "Changes waiting in the queue (absent when the queue cannot tell).");
        Meter.CreateObservableGauge("webhookprocessor.queue.oldest_age", () => Gauge(Snapshot.OldestMessageAgeSeconds), "s",
            "Age of the oldest change waiting in the queue; 0 when it is empty.");
        Meter.CreateObservableGauge("webhookprocessor.dead_letters.stored", () => Gauge(Snapshot.DeadLetters), "{message}",
            "Dead letters kept and waiting for an operator.");
        Meter.CreateObservableGauge("webhookprocessor.pending_change.next", () => Gauge(Snapshot.NextPendingChangeSeconds), "s",
            "Seconds until the soonest announced category change takes effect; negative once it is past due.");
        Meter.CreateObservableGauge("webhookprocessor.alerts.waiting", WaitingAlerts, "{alert}",
            "Alerts not sent, by state: pending, failed (waits for a re-send), unrouted (no owner).");
        Meter.CreateObservableGauge("webhookprocessor.circuit_breaker.state", BreakerStates, "{state}",
            "1 for the state each alert channel's circuit breaker is in (closed, open, half_open, isolated), by channel.");
    }

    public Meter Meter { get; }

    /// <summary>The figures the gauges report; replaced whole by the sampler.</summary>
    public TelemetrySnapshot Snapshot { get; set; } = TelemetrySnapshot.Empty;

    /// <summary>Adds a reader of one alert channel's circuit-breaker state, asked each time the gauges are collected.</summary>
    public void AddBreaker(string channel, Func<string> state)
    {
        lock (_breakerGate)
        {
            _breakers = [.. _breakers, (channel, state)];
        }
    }

    public void Webhook(string outcome) => _webhooks.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Outcome, outcome));

    public void IngestCommitted(TimeSpan duration) => _commitDuration.Record(duration.TotalSeconds);

    public void GroupCommitted(int operations) => _groupSize.Record(operations);

    public bool EventsEnabled => _events.Enabled || _lag.Enabled;

    public void EventProcessed(string kind, string result, string source) =>
        _events.Add(1, new TagList
        {
            { TelemetryTags.Kind, kind },
            { TelemetryTags.Result, result },
            { TelemetryTags.Source, source },
        });

    public void ProcessingLag(TimeSpan lag, string source) =>
        _lag.Record(Math.Max(0, lag.TotalSeconds), new KeyValuePair<string, object?>(TelemetryTags.Source, source));

    public void AlertAttempt(string channel, string outcome) =>
        _alertAttempts.Add(1, new TagList { { TelemetryTags.Channel, channel }, { TelemetryTags.Outcome, outcome } });

    public void AlertFinished(string channel, string outcome, int attempts)
    {
        var tags = new TagList { { TelemetryTags.Channel, channel }, { TelemetryTags.Outcome, outcome } };
        _alerts.Add(1, tags);
        _attemptsPerAlert.Record(attempts, tags);
    }

    public void DeadLettered(string source, int count = 1)
    {
        if (count > 0)
        {
            _deadLetters.Add(count, new KeyValuePair<string, object?>(TelemetryTags.Source, source));
        }
    }

    public void Drift(string kind, int count = 1)
    {
        if (count > 0)
        {
            _drift.Add(count, new KeyValuePair<string, object?>(TelemetryTags.Kind, kind));
        }
    }

    /// <summary>One measurement, or none when the figure is unknown (a long converts to double? implicitly).</summary>
    private static IEnumerable<Measurement<double>> Gauge(double? value) =>
        value is { } v ? [new Measurement<double>(v)] : [];

    private IEnumerable<Measurement<long>> WaitingAlerts()
    {
        if (Snapshot.Alerts is not { } alerts)
        {
            return [];
        }

        return
        [
            new Measurement<long>(alerts.Pending, new KeyValuePair<string, object?>(TelemetryTags.State, "pending")),
            new Measurement<long>(alerts.Failed, new KeyValuePair<string, object?>(TelemetryTags.State, "failed")),
            new Measurement<long>(alerts.Unrouted, new KeyValuePair<string, object?>(TelemetryTags.State, "unrouted")),
        ];
    }

    private IEnumerable<Measurement<int>> BreakerStates() =>
        Volatile.Read(ref _breakers).Select(b => new Measurement<int>(1, new TagList
        {
            { TelemetryTags.Channel, b.Channel },
            { TelemetryTags.State, b.State() },
        })).ToList();
}
