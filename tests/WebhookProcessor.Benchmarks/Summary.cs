using System.Globalization;
using System.Text;

namespace WebhookProcessor.Benchmarks;

/// <summary>The markdown summary of a run, and whether each target was met.</summary>
internal static class Summary
{
    public const double MinIngestRatio = 0.5;
    public const double MaxIngestP99Ms = 10;
    public const double MinWorkerEventsPerSecond = 10_000;

    public static (string Markdown, bool TargetsMet, bool Valid) Write(
        BenchmarkOptions options, IReadOnlyList<string> args, MachineInfo machine, IngestReport? ingest, WorkerReport? worker, DateTimeOffset startedAt)
    {
        var s = new StringBuilder();
        var targets = new List<(string Target, string Measured, bool Met)>();
        var valid = true;
        void Line(FormattableString text) => s.AppendLine(text.ToString(CultureInfo.InvariantCulture));

        Line($"## WebhookProcessor benchmark, {startedAt:yyyy-MM-dd HH:mm} UTC");
        Line($"");
        Line($"Command: `bash tests/WebhookProcessor.Benchmarks/run.sh{string.Concat(args.Select(a => " " + a))}`");
        Line($"");
        Line($"Machine: {machine.Cores} cores ({machine.Cpu}), {machine.Os}; {machine.Runtime}; `dotnet --version` {machine.Sdk}; {machine.Wrk}; fsync of a 4 KiB append: median {machine.FsyncMedianMs:0.00} ms, p99 {machine.FsyncP99Ms:0.00} ms.");
        Line($"");

        if (ingest is not null)
        {
            var ratio = ingest.Ingest.RequestsPerSecond / ingest.Ceiling.RequestsPerSecond;
            Line($"### Ingest against the ceiling");
            Line($"");
            Line($"wrk -t {options.Threads} -c {options.Connections} --latency, {options.WarmupSeconds} s warm-up then {options.DurationSeconds} s measured per server; distinct signed status-update bodies of {ingest.MeanBodyBytes:0} bytes on average.");
            Line($"");
            Line($"| server | requests/s | p50 | p99 | max | requests | non-2xx | socket errors | CPU: server | CPU: wrk | CPU: other processes |");
            Line($"| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            Row(s, "ceiling: empty POST endpoint", ingest.Ceiling);
            Row(s, "ingest: webhook endpoint, durable enqueue (worker paused)", ingest.Ingest);
            if (ingest.Soak is not null)
            {
                Row(s, $"ingest while the worker drains: {options.SoakSeconds} s soak", ingest.Soak);
            }

            Line($"");
            Line($"CPU columns are cores busy on average over the run (the machine has {machine.Cores}), from /proc; \"other processes\" is whatever else ran on the machine meanwhile.");
            var disturbed = new[] { ingest.Ceiling, ingest.Ingest, ingest.Soak }.Where(r => r is { Disturbed: true }).Select(r => r!.Label).ToList();
            if (disturbed.Count > 0)
            {
                Line($"**Warning: other processes used more than {WrkResult.DisturbedAbove:0.0} cores during {string.Join(", ", disturbed)}: those figures understate this service; run again on a quiet machine.**");
            }

            Line($"Ingest reached **{ratio:P1}** of the ceiling.");
            Line($"");
            Line($"Checks after the load: the worker emptied the queue {ingest.DrainSeconds:0.0} s after the last run ended; /healthz: status {ingest.FinalHealth.Status}, queue depth {ingest.FinalHealth.QueueDepth}, dead letters {ingest.FinalHealth.DeadLetters}; history holds {ingest.HistoryRows:N0} events (every accepted body once: expected {ingest.HistoryLowerBound:N0} to {ingest.HistoryUpperBound:N0}) over {ingest.TemplateRows:N0} templates; bodies sent more than once: {ingest.Repeated:N0}.");
            Line($"");

            targets.Add(($"ingest ≥ {MinIngestRatio:P0} of the ceiling", $"{ratio:P1} ({ingest.Ingest.RequestsPerSecond:N0} / {ingest.Ceiling.RequestsPerSecond:N0} req/s)", ratio >= MinIngestRatio));
            targets.Add(($"ingest p99 ≤ {MaxIngestP99Ms:0} ms", $"{ingest.Ingest.P99Ms:0.00} ms", ingest.Ingest.P99Ms <= MaxIngestP99Ms));
            valid &= ingest.Valid;

            if (ingest.Rss is { } rss)
            {
                Line($"### Memory: the service's RSS during the {options.SoakSeconds} s soak");
                Line($"");
                Line($"VmRSS from `/proc/<pid>/status` every {options.RssIntervalSeconds:0.#} s ({rss.Samples.Count} samples), after the warm-up and measured runs.");
                Line($"");
                Line($"| MiB | before warm-up | soak first | soak last | min | max | slope | growth over the soak's 2nd half | after drain |");
                Line($"| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
                MemoryRow(s, "VmRSS", rss.BeforeWarmup.Rss, rss.Total, rss.AfterDrain.Rss);
                MemoryRow(s, "of which anonymous (RssAnon: GC heap, native heap incl. SQLite page cache, stacks)", rss.BeforeWarmup.Anon, rss.Anon, rss.AfterDrain.Anon);
                MemoryRow(s, "of which file-backed (RssFile: mapped files: assemblies, SQLite mmap of the databases)", rss.BeforeWarmup.File, rss.File, rss.AfterDrain.File);
                Line($"");
                Line($"Samples (s: VmRSS / RssAnon / RssFile MiB): {string.Join(", ", rss.Samples.Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Seconds:0}: {Mib(x.Bytes)}/{Mib(x.AnonBytes)}/{Mib(x.FileBytes)}")))}");
                Line($"");
                targets.Add(($"memory flat under a {options.SoakSeconds} s load (VmRSS growth over the soak's 2nd half ≤ max(5 %, 8 MiB))",
                    $"VmRSS {rss.Total.First:0} → {rss.Total.Last:0} MiB, {rss.Total.SecondHalfGrowth:+0;-0} MiB over the 2nd half (anonymous {rss.Anon.SecondHalfGrowth:+0;-0}, file-backed {rss.File.SecondHalfGrowth:+0;-0})",
                    rss.Flat));
            }
        }

        if (worker is not null)
        {
            Line($"### Worker: applying queued events to history and catalog");
            Line($"");
            Line($"A fresh queue pre-filled with distinct events (60 % status, 20 % category, 20 % quality updates), drained by LeaseAsync → QueueWorker.HandleAsync until empty.");
            Line($"");
            Line($"| events | templates | batch | events/s | seconds | in LeaseAsync | in HandleAsync | history rows | applied to catalog | catalog templates | queue depth after | dead letters | CPU: benchmark | CPU: other processes |");
            Line($"| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            Line($"| {worker.Events:N0} | {worker.Templates:N0} | {worker.BatchSize} | **{worker.EventsPerSecond:N0}** | {worker.Seconds:0.00} | {worker.LeaseSeconds:0.00} s | {worker.HandleSeconds:0.00} s | {worker.HistoryRows:N0} | {worker.AppliedRows:N0} | {worker.TemplateRows:N0} | {worker.QueueAfter.Depth} | {worker.QueueAfter.DeadLetterCount} | {worker.OwnCores:0.00} | {worker.OtherCores:0.00} |");
            if (worker.Disturbed)
            {
                Line($"**Warning: other processes used {worker.OtherCores:0.00} cores while the worker ran: run again on a quiet machine.**");
            }

            Line($"");
            targets.Add(($"worker ≥ {MinWorkerEventsPerSecond:N0} events/s", $"{worker.EventsPerSecond:N0} events/s", worker.EventsPerSecond >= MinWorkerEventsPerSecond));
            valid &= worker.Valid;
        }

        Line($"### Targets");
        Line($"");
        Line($"| target | measured | result |");
        Line($"| --- | --- | --- |");
        foreach (var (target, measured, met) in targets)
        {
            Line($"| {target} | {measured} | {(met ? "PASS" : "FAIL")} |");
        }

        Line($"| the run is valid: every request answered 2xx, no socket error, every accepted event in history once, queue drained, no dead letter | {(valid ? "yes" : "no")} | {(valid ? "PASS" : "FAIL")} |");
        return (s.ToString(), targets.All(t => t.Met), valid);
    }

    private static void MemoryRow(StringBuilder s, string name, long before, MemorySeries m, long after) =>
        s.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {Mib(before)} | {m.First:0} | {m.Last:0} | {m.Min:0} | {m.Max:0} | {m.SlopePerMinute:+0.0;-0.0}/min | {m.SecondHalfGrowth:+0.0;-0.0} | {Mib(after)} |"));

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture);

    private static void Row(StringBuilder s, string name, WrkResult r) =>
        s.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | **{r.RequestsPerSecond:N0}** | {r.P50Ms:0.00} ms | {r.P99Ms:0.00} ms | {r.MaxMs:0.0} ms | {r.Requests:N0} | {r.Non2xx} | {r.SocketErrors} | {r.ServerCores:0.00} | {r.WrkCores:0.00} | {r.OtherCores:0.00} |"));
}
