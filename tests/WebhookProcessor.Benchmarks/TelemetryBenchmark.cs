using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using WebhookProcessor.Telemetry;

namespace WebhookProcessor.Benchmarks;

/// <summary>One ingest run of the telemetry comparison: wrk against a fresh service, telemetry off or on.</summary>
internal sealed record TelemetryIngestRound(int Round, bool On, WrkResult Warmup, WrkResult Result, OtlpCounts Measured, OtlpCounts Total)
{
    /// <summary>The service's spans per webhook POST: its server span and the enqueue span.</summary>
    public const int SpansPerRequest = 2;

    public double CpuMicrosecondsPerRequest => Result.ServerCores * 1_000_000 / Result.RequestsPerSecond;

    public long Requests => Warmup.Requests + Result.Requests;

    /// <summary>Spans the sink received over the round (final flush included) per request answered.</summary>
    public double SpansPerRequestReceived => Requests == 0 ? 0 : (double)Total.Spans / Requests;

    /// <summary>
    /// Clean wrk runs, no body repeated, and: off, nothing reached the sink; on, spans and metrics were
    /// exported during the measured run itself, not only when the service stopped.
    /// </summary>
    public bool Valid => Result.Clean && Warmup.Clean && Result.Repeated <= 0
        && (On
            ? Measured.TraceRequests > 0 && Measured.Spans > 0 && Measured.MetricRequests > 0
            : Total == new OtlpCounts(0, 0, 0, 0, 0, 0));
}

/// <summary>One worker run of the telemetry comparison.</summary>
internal sealed record TelemetryWorkerRound(int Round, bool On, WorkerParts Parts, WorkerReport Report, long SpansEnded, long SpansExported, long MetricExports, long EventsCounted)
{
    /// <summary>The processor's spans per change: <c>process webhook-changes</c> and its <c>catalog commit</c>.</summary>
    public const int SpansPerEvent = 2;

    public double CpuMicrosecondsPerEvent => Report.OwnCores * 1_000_000 / Report.EventsPerSecond;

    /// <summary>All the work was real; on, every change made its two spans and was counted by the events metric.</summary>
    public bool Valid => Report.Valid
        && (On && Parts.Traces ? SpansEnded == (long)SpansPerEvent * Report.Events : SpansEnded == 0)
        && (On && Parts.Metrics ? MetricExports > 0 && EventsCounted == Report.Events : MetricExports == 0);
}

/// <summary>Which parts of telemetry the worker's "on" runs turn on: all three by default; fewer to find what costs.</summary>
internal sealed record WorkerParts(bool Traces, bool Metrics, bool TraceParents)
{
    public static readonly WorkerParts All = new(true, true, true);

    public static WorkerParts Parse(string list)
    {
        var parts = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = parts.Except(["traces", "metrics", "traceparents"]).ToList();
        return unknown.Count > 0
            ? throw new ArgumentException($"--worker-on-parts takes traces, metrics and traceparents, not {string.Join(", ", unknown)}.")
            : new WorkerParts(parts.Contains("traces"), parts.Contains("metrics"), parts.Contains("traceparents"));
    }

    public override string ToString() => this == All ? "all" : string.Join("+", new[] { Traces ? "traces" : null, Metrics ? "metrics" : null, TraceParents ? "traceparents" : null }.OfType<string>());
}

/// <summary>
/// What telemetry costs: the ingest and worker benchmarks with telemetry off (the default: no exporter,
/// so no listener and no span) against on (spans and metrics recorded and exported to a sink that costs
/// nothing itself), in alternating rounds. Ingest: a fresh service process per run, worker paused; on
/// means OTLP/HTTP to <see cref="OtlpSink"/> on loopback, the real export path. Worker: in process, as
/// <see cref="WorkerBenchmark"/>; on means an OpenTelemetry SDK tracer and meter provider over no-op
/// exporters. The order within each round alternates (off first, then on first) so a machine slowly
/// getting faster or slower does not favour one side.
/// </summary>
internal static class TelemetryBenchmark
{
    public const string Command = "telemetry";

    /// <summary>The issue's bound: telemetry on may cost at most 5 % of requests/s and of events/s.</summary>
    public const double MaxCost = 0.05;

    /// <summary>The metric export interval the service gets when on: 12 times the default 60 s, so metrics are exported inside each measured run.</summary>
    public const int MetricExportIntervalMs = 5_000;

    /// <summary>A rate well above what ingest reaches on the reference machine, to size the bodies of a run.</summary>
    private const int BodiesPerSecond = 40_000;

    public const string Usage = """
        Usage: WebhookProcessor.Benchmarks telemetry [--rounds <n>] [benchmark options]
          --rounds <n>        rounds; each runs off and on once, in alternating order [3]
          --worker-on-parts <list>  what the worker's "on" runs turn on, to find what costs: a comma list of
                              traces, metrics, traceparents (stored with each queued change) [all three]
          --on-env <K=V>      extra environment for the service's "on" runs only, repeatable, to find what
                              costs (for example OTEL_METRICS_EXPORTER=none); the validity checks still
                              expect spans and metrics to reach the sink
        Benchmark options as for the main run, with these defaults here: --warmup 8 --duration 15
        --worker-events 50000; also --connections, --threads, --worker-batch, --worker-templates,
        --skip-ingest, --skip-worker, --out [artifacts/benchmarks/telemetry.md], --keep, --repo,
        --service-dll, --service-env.
        Exit code: 0 telemetry costs at most 5 % of ingest requests/s and worker events/s (medians),
        1 it costs more, 2 the run itself was not valid.
        """;

    private static readonly string[] Defaults = ["--warmup", "8", "--duration", "15", "--worker-events", "50000", "--soak", "0"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.Out.WriteLine(Usage);
            return 0;
        }

        var rounds = 3;
        var rest = new List<string>(Defaults);
        var onEnvironment = new Dictionary<string, string>();
        var parts = WorkerParts.All;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--worker-on-parts" && i + 1 < args.Length)
            {
                try
                {
                    parts = WorkerParts.Parse(args[++i]);
                }
                catch (ArgumentException ex)
                {
                    Console.Error.WriteLine(ex.Message);
                    return 2;
                }

                continue;
            }

            if (args[i] == "--on-env")
            {
                var pair = i + 1 < args.Length ? args[++i].Split('=', 2) : [];
                if (pair.Length != 2 || pair[0].Length == 0)
                {
                    Console.Error.WriteLine("--on-env takes KEY=VALUE.");
                    return 2;
                }

                onEnvironment[pair[0]] = pair[1];
                continue;
            }

            if (args[i] == "--rounds" && i + 1 < args.Length
                && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out rounds) && rounds >= 1)
            {
                i++;
                continue;
            }

            if (args[i] == "--rounds")
            {
                Console.Error.WriteLine("--rounds must be a whole number of at least 1.");
                return 2;
            }

            rest.Add(args[i]);
        }

        BenchmarkOptions options;
        try
        {
            options = BenchmarkOptions.Parse(rest);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }

        // "Off" must mean off: the service inherits this environment, and an exporter set here would turn it on.
        var inherited = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("APPLICATIONINSIGHTS_", StringComparison.OrdinalIgnoreCase)
                || k.StartsWith("Telemetry__", StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (inherited.Count > 0)
        {
            Console.Error.WriteLine($"Unset {string.Join(", ", inherited)} first: the \"off\" runs must have no exporter.");
            return 2;
        }

        var repoRoot = options.RepoRoot ?? FindRepoRoot();
        var progress = Console.Error;
        var startedAt = TimeProvider.System.GetUtcNow();
        var workDir = options.WorkDir ?? Path.Combine(Path.GetTempPath(), $"webhookprocessor-telemetry-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(workDir);
        progress.WriteLine($"telemetry benchmark: work folder {workDir}");
        var failed = true;
        try
        {
            var machine = MachineInfo.Collect(repoRoot, workDir);
            progress.WriteLine($"machine: {machine.Cores} cores, {machine.Cpu}, SDK {machine.Sdk}, {machine.Wrk}, fsync median {machine.FsyncMedianMs:0.00} ms");

            var ingest = new List<TelemetryIngestRound>();
            if (!options.SkipIngest)
            {
                ingest = await RunIngestRoundsAsync(options, onEnvironment, rounds, repoRoot, workDir, progress);
            }

            var worker = new List<TelemetryWorkerRound>();
            if (!options.SkipWorker)
            {
                worker = await RunWorkerRoundsAsync(options, parts, rounds, workDir, progress);
            }

            var (markdown, met, valid) = Write(options, args, rounds, machine, ingest, worker, startedAt);
            Console.Out.Write(markdown);
            var outFile = Path.GetFullPath(options.OutFile ?? Path.Combine(repoRoot, "artifacts", "benchmarks", "telemetry.md"));
            Directory.CreateDirectory(Path.GetDirectoryName(outFile)!);
            await File.WriteAllTextAsync(outFile, markdown);
            progress.WriteLine($"telemetry benchmark: summary written to {outFile}");
            failed = false;
            return !valid ? 2 : met ? 0 : 1;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or FormatException or HttpRequestException)
        {
            progress.WriteLine($"telemetry benchmark: the run failed: {ex}");
            return 2;
        }
        finally
        {
            if (options.Keep || failed)
            {
                progress.WriteLine($"telemetry benchmark: kept {workDir} (logs in its logs folder)");
            }
            else
            {
                Directory.Delete(workDir, recursive: true);
            }
        }
    }

    /// <summary>Off first in odd rounds, on first in even ones.</summary>
    private static bool[] Order(int round) => round % 2 == 1 ? [false, true] : [true, false];

    private static async Task<List<TelemetryIngestRound>> RunIngestRoundsAsync(BenchmarkOptions options, Dictionary<string, string> onEnvironment, int rounds, string repoRoot, string workDir, TextWriter progress)
    {
        var serviceDll = Path.GetFullPath(options.ServiceDll ?? Path.Combine(repoRoot, "src", "WebhookProcessor", "bin", "Release", "net10.0", "WebhookProcessor.dll"));
        if (!File.Exists(serviceDll))
        {
            throw new FileNotFoundException($"Build the service in Release first: {serviceDll} is missing.");
        }

        var logs = Directory.CreateDirectory(Path.Combine(workDir, "logs")).FullName;
        var bodies = Directory.CreateDirectory(Path.Combine(workDir, "bodies")).FullName;
        var secret = RandomHex(32);

        // Every run gets a fresh database, so one set of bodies serves all runs; within a run, the
        // warm-up and the measured load send different bodies, each a new durable enqueue.
        var warmupPrefix = Path.Combine(bodies, "warmup-");
        var measuredPrefix = Path.Combine(bodies, "measured-");
        var warmupCount = (BodiesPerSecond * options.WarmupSeconds) + 20_000;
        var measuredCount = (BodiesPerSecond * options.DurationSeconds) + 20_000;
        progress.WriteLine($"ingest: signing {warmupCount + measuredCount:N0} distinct bodies");
        WebhookBodies.WriteSignedFiles(warmupPrefix, options.Threads, 10_000_000, warmupCount, secret);
        WebhookBodies.WriteSignedFiles(measuredPrefix, options.Threads, 50_000_000, measuredCount, secret);

        await using var sink = await OtlpSink.StartAsync(FreePort());
        progress.WriteLine($"ingest: OTLP/HTTP sink on {sink.Endpoint}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var results = new List<TelemetryIngestRound>();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var on in Order(round))
            {
                var label = Invariant($"r{round}-{(on ? "on" : "off")}");
                var dataDir = Directory.CreateDirectory(Path.Combine(workDir, "ingest-" + label)).FullName;
                var baseUrl = new Uri(Invariant($"http://127.0.0.1:{FreePort()}"));
                var env = new Dictionary<string, string>
                {
                    ["ASPNETCORE_ENVIRONMENT"] = "Production",
                    ["Meta__AppSecrets__0"] = secret,
                    ["Meta__VerifyToken"] = RandomHex(16),
                    ["Ops__ApiKeys__0"] = RandomHex(24),
                    ["Storage__Sqlite__Path"] = dataDir,
                    ["Logging__LogLevel__Default"] = "Warning",
                    // The intake's own cost, as in the main benchmark: the worker is measured on its own.
                    ["Queue__WorkerEnabled"] = "false",
                };
                if (on)
                {
                    env["OTEL_TRACES_EXPORTER"] = "otlp";
                    env["OTEL_METRICS_EXPORTER"] = "otlp";
                    env["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.Endpoint.ToString().TrimEnd('/');
                    env["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
                    env["OTEL_METRIC_EXPORT_INTERVAL"] = MetricExportIntervalMs.ToString(CultureInfo.InvariantCulture);
                    foreach (var (key, value) in onEnvironment)
                    {
                        env[key] = value;
                    }
                }

                foreach (var (key, value) in options.ServiceEnvironment)
                {
                    env[key] = value;
                }

                var start = sink.Counts;
                WrkResult warmup, result;
                OtlpCounts measured;
                progress.WriteLine($"ingest {label}: starting the service on {baseUrl}, telemetry {(on ? "on (OTLP to the sink)" : "off")}");
                await using (var service = ChildProcess.Start("service-" + label, "dotnet", [serviceDll, "--urls", baseUrl.ToString()],
                    Path.GetDirectoryName(serviceDll)!, env, Path.Combine(logs, $"service-{label}.log")))
                {
                    await service.WaitUntilReadyAsync(http, new Uri(baseUrl, "/healthz"), TimeSpan.FromSeconds(60));
                    var endpoint = new Uri(baseUrl, CeilingServer.Route);
                    warmup = await Wrk.RunAsync(label + "-warmup", endpoint, warmupPrefix, Math.Max(1, options.WarmupSeconds), options, service, logs);
                    var before = sink.Counts;
                    result = await Wrk.RunAsync(label, endpoint, measuredPrefix, options.DurationSeconds, options, service, logs);
                    measured = sink.Counts - before;
                }

                // The service has stopped gracefully: its exporters flushed what they still held.
                var run = new TelemetryIngestRound(round, on, warmup, result, measured, sink.Counts - start);
                results.Add(run);
                progress.WriteLine(Invariant(
                    $"ingest {label}: {result.RequestsPerSecond:N0} req/s, p99 {result.P99Ms:0.00} ms, server {result.ServerCores:0.00} cores = {run.CpuMicrosecondsPerRequest:0.0} µs/request, wrk {result.WrkCores:0.00}, other {result.OtherCores:0.00}; sink during the run: {measured.TraceRequests} trace exports ({measured.Spans:N0} spans, {measured.TraceBytes / 1024.0:N0} KiB), {measured.MetricRequests} metric exports; over the round {run.SpansPerRequestReceived:0.00} spans/request{(run.Valid ? "" : " INVALID")}"));
                Directory.Delete(dataDir, recursive: true);
            }
        }

        return results;
    }

    private static async Task<List<TelemetryWorkerRound>> RunWorkerRoundsAsync(BenchmarkOptions options, WorkerParts parts, int rounds, string workDir, TextWriter progress)
    {
        // The first run in a process pays for JIT and tiering: one unreported run each way comes first,
        // so round 1's first run is not the slow one.
        var plan = new List<(int Round, bool On)> { (0, false), (0, true) };
        for (var round = 1; round <= rounds; round++)
        {
            plan.AddRange(Order(round).Select(on => (round, on)));
        }

        var results = new List<TelemetryWorkerRound>();
        foreach (var (round, on) in plan)
        {
            var label = round == 0 ? $"warmup-{(on ? "on" : "off")}" : Invariant($"r{round}-{(on ? "on" : "off")}");
            var folder = Directory.CreateDirectory(Path.Combine(workDir, "worker-" + label)).FullName;
            // The service always has its WebhookMetrics; whether anything listens is what differs.
            using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
            var metrics = new WebhookMetrics(services.GetRequiredService<IMeterFactory>());
            var spans = new SpanCounter();
            var spanExporter = new NoopSpanExporter();
            var metricExporter = new NoopMetricExporter("webhookprocessor.events");
            var tracing = on && parts.Traces
                ? Sdk.CreateTracerProviderBuilder()
                    .AddSource(TelemetryNames.ActivitySource)
                    .AddProcessor(spans)
                    .AddProcessor(new BatchActivityExportProcessor(spanExporter))
                    .Build()
                : null;
            var metering = on && parts.Metrics
                ? Sdk.CreateMeterProviderBuilder()
                    .AddMeter(TelemetryNames.Meter)
                    .AddReader(new PeriodicExportingMetricReader(metricExporter, MetricExportIntervalMs / 5))
                    .Build()
                : null;
            progress.WriteLine($"worker {label}: telemetry {(on ? $"on (SDK, no-op exporters; parts: {parts})" : "off")}");
            WorkerReport report;
            try
            {
                report = await new WorkerBenchmark(options, folder, progress, metrics, traceParents: on && parts.TraceParents).RunAsync();
            }
            finally
            {
                // Disposing flushes: the last spans and the final cumulative totals reach the exporters.
                tracing?.Dispose();
                metering?.Dispose();
            }

            var result = new TelemetryWorkerRound(round, on, parts, report, spans.Ended, spanExporter.Exported, metricExporter.Exports, metricExporter.CheckedTotal);
            if (round > 0)
            {
                results.Add(result);
            }

            progress.WriteLine(Invariant(
                $"worker {label}: {report.EventsPerSecond:N0} events/s, {result.CpuMicrosecondsPerEvent:0.0} µs CPU/event; spans ended {result.SpansEnded:N0}, exported {result.SpansExported:N0}; metric exports {result.MetricExports}, events counted {result.EventsCounted:N0}{(result.Valid ? "" : " INVALID")}"));
            Directory.Delete(folder, recursive: true);
        }

        return results;
    }

    private static (string Markdown, bool TargetsMet, bool Valid) Write(
        BenchmarkOptions options, IReadOnlyList<string> args, int rounds, MachineInfo machine,
        IReadOnlyList<TelemetryIngestRound> ingest, IReadOnlyList<TelemetryWorkerRound> worker, DateTimeOffset startedAt)
    {
        var s = new StringBuilder();
        var targets = new List<(string Target, string Measured, bool Met)>();
        var valid = true;
        void Line(FormattableString text) => s.AppendLine(text.ToString(CultureInfo.InvariantCulture));

        Line($"## Telemetry cost, {startedAt:yyyy-MM-dd HH:mm} UTC");
        Line($"");
        Line($"Command: `bash tests/WebhookProcessor.Benchmarks/run.sh telemetry{string.Concat(args.Select(a => " " + a))}`");
        Line($"");
        Line($"Machine: {machine.Cores} cores ({machine.Cpu}), {machine.Os}; {machine.Runtime}; `dotnet --version` {machine.Sdk}; {machine.Wrk}; fsync median {machine.FsyncMedianMs:0.00} ms. {rounds} rounds, each off and on once; the order alternates (odd rounds off first).");
        Line($"");

        if (ingest.Count > 0)
        {
            Line($"### Ingest (worker paused), off vs on");
            Line($"");
            Line($"A fresh service process and database per run; wrk -t {options.Threads} -c {options.Connections}, {options.WarmupSeconds} s warm-up then {options.DurationSeconds} s measured. On: OTLP/HTTP protobuf to a loopback sink that answers 200 (traces batched by the SDK's defaults, metrics every {MetricExportIntervalMs / 1000} s).");
            Line($"");
            Line($"| round | telemetry | requests/s | p50 | p99 | CPU server | µs CPU / request | CPU other | trace exports in run | spans in run | spans / request (round) | metric exports in run | valid |");
            Line($"| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
            foreach (var r in ingest)
            {
                Line($"| {r.Round} | {(r.On ? "on" : "off")} | {r.Result.RequestsPerSecond:N0} | {r.Result.P50Ms:0.00} ms | {r.Result.P99Ms:0.00} ms | {r.Result.ServerCores:0.00} | {r.CpuMicrosecondsPerRequest:0.0} | {r.Result.OtherCores:0.00}{(r.Result.Disturbed ? " ⚠" : "")} | {r.Measured.TraceRequests} | {r.Measured.Spans:N0} | {r.SpansPerRequestReceived:0.00} | {r.Measured.MetricRequests} | {(r.Valid ? "yes" : "**no**")} |");
            }

            var off = Median(ingest.Where(r => !r.On).Select(r => r.Result.RequestsPerSecond));
            var on = Median(ingest.Where(r => r.On).Select(r => r.Result.RequestsPerSecond));
            var cost = 1 - (on / off);
            var cpuOff = Median(ingest.Where(r => !r.On).Select(r => r.CpuMicrosecondsPerRequest));
            var cpuOn = Median(ingest.Where(r => r.On).Select(r => r.CpuMicrosecondsPerRequest));
            var p99Off = Median(ingest.Where(r => !r.On).Select(r => r.Result.P99Ms));
            var p99On = Median(ingest.Where(r => r.On).Select(r => r.Result.P99Ms));
            var paired = ingest.GroupBy(r => r.Round).Select(g => 1 - (g.Single(r => r.On).Result.RequestsPerSecond / g.Single(r => !r.On).Result.RequestsPerSecond)).ToList();
            Line($"");
            Line($"Medians: off **{off:N0}** req/s, on **{on:N0}** req/s: telemetry costs **{cost:P1}** of ingest throughput (per round: {string.Join(", ", paired.Select(p => p.ToString("P1", CultureInfo.InvariantCulture)))}). CPU per request {cpuOff:0.0} → {cpuOn:0.0} µs ({(cpuOn / cpuOff) - 1:+0.0%;-0.0%}); p99 {p99Off:0.00} → {p99On:0.00} ms. Spans per request expected on: {TelemetryIngestRound.SpansPerRequest} (server span, enqueue); fewer means the exporter dropped some.");
            Line($"");
            targets.Add(($"ingest requests/s with telemetry on ≥ {1 - MaxCost:P0} of off (medians)", $"{on:N0} / {off:N0} = {on / off:P1} (cost {cost:P1})", cost <= MaxCost));
            valid &= ingest.All(r => r.Valid);
        }

        if (worker.Count > 0)
        {
            Line($"### Worker, off vs on");
            Line($"");
            Line($"In process, {options.WorkerEvents:N0} events per run (batch {options.WorkerBatch}), after one unreported run off and one on (JIT), the service's WebhookMetrics in both. On: an SDK TracerProvider (source `{TelemetryNames.ActivitySource}`, batch export processor over a no-op exporter) and MeterProvider (meter `{TelemetryNames.Meter}`, periodic reader every {MetricExportIntervalMs / 5000.0:0.#} s over a no-op exporter); each queued change carries a traceparent, as intake stores it when on.");
            if (worker.Any(r => r.On && r.Parts != WorkerParts.All))
            {
                Line($"**Partial \"on\" (diagnosis only): {worker.First(r => r.On).Parts}.**");
            }

            Line($"");
            Line($"| round | telemetry | events/s | seconds | µs CPU / event | CPU other | spans ended | spans exported | metric exports | events counted by the metric | valid |");
            Line($"| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
            foreach (var r in worker)
            {
                Line($"| {r.Round} | {(r.On ? "on" : "off")} | {r.Report.EventsPerSecond:N0} | {r.Report.Seconds:0.00} | {r.CpuMicrosecondsPerEvent:0.0} | {r.Report.OtherCores:0.00}{(r.Report.Disturbed ? " ⚠" : "")} | {r.SpansEnded:N0} | {r.SpansExported:N0} | {r.MetricExports} | {r.EventsCounted:N0} | {(r.Valid ? "yes" : "**no**")} |");
            }

            var off = Median(worker.Where(r => !r.On).Select(r => r.Report.EventsPerSecond));
            var on = Median(worker.Where(r => r.On).Select(r => r.Report.EventsPerSecond));
            var cost = 1 - (on / off);
            var cpuOff = Median(worker.Where(r => !r.On).Select(r => r.CpuMicrosecondsPerEvent));
            var cpuOn = Median(worker.Where(r => r.On).Select(r => r.CpuMicrosecondsPerEvent));
            var paired = worker.GroupBy(r => r.Round).Select(g => 1 - (g.Single(r => r.On).Report.EventsPerSecond / g.Single(r => !r.On).Report.EventsPerSecond)).ToList();
            Line($"");
            Line($"Medians: off **{off:N0}** events/s, on **{on:N0}** events/s: telemetry costs **{cost:P1}** of worker throughput (per round: {string.Join(", ", paired.Select(p => p.ToString("P1", CultureInfo.InvariantCulture)))}). CPU per event {cpuOff:0.0} → {cpuOn:0.0} µs ({(cpuOn / cpuOff) - 1:+0.0%;-0.0%}).");
            Line($"");
            targets.Add(($"worker events/s with telemetry on ≥ {1 - MaxCost:P0} of off (medians)", $"{on:N0} / {off:N0} = {on / off:P1} (cost {cost:P1})", cost <= MaxCost));
            valid &= worker.All(r => r.Valid);
        }

        Line($"| Target | Measured | Result |");
        Line($"| --- | --- | --- |");
        foreach (var (target, measured, met) in targets)
        {
            Line($"| {target} | {measured} | {(met ? "PASS" : "**FAIL**")} |");
        }

        Line($"| run valid: clean wrk runs, no body repeated; off: nothing exported; on: spans and metrics exported during each measured run, every worker change with its 2 spans and counted once by the events metric | {(valid ? "yes" : "no")} | {(valid ? "PASS" : "**INVALID**")} |");
        return (s.ToString(), targets.All(t => t.Met), valid);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string FindRepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "WebhookProcessor.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Cannot find the repository (WebhookProcessor.sln); run from inside it or pass --repo.");
    }

    private static int FreePort() => IngestBenchmark.FreePort();

    private static string RandomHex(int bytes) => IngestBenchmark.RandomHex(bytes);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
