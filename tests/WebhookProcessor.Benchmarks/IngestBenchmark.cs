using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace WebhookProcessor.Benchmarks;

internal sealed record RssSample(double Seconds, long Bytes, long AnonBytes, long FileBytes);

/// <summary>Figures of one memory series (VmRSS, or its anonymous or file-backed part) over the soak, in MiB.</summary>
internal sealed record MemorySeries(double First, double Last, double Min, double Max, double SlopePerMinute, double SecondHalfGrowth)
{
    private const double MiB = 1024 * 1024;

    /// <summary>
    /// Flat: over the second half of the soak (the first half lets caches and pools reach their working
    /// size) the fitted growth stays within 5 % of the level, or 8 MiB if that is larger.
    /// </summary>
    public bool Flat(double level) => SecondHalfGrowth <= Math.Max(0.05 * level, 8);

    public static MemorySeries Of(IReadOnlyList<RssSample> samples, Func<RssSample, long> value)
    {
        var points = samples.Select(s => (X: s.Seconds, Y: value(s) / MiB)).ToList();
        var secondHalf = points.Skip(points.Count / 2).ToList();
        var span = secondHalf.Count > 1 ? (secondHalf[^1].X - secondHalf[0].X) / 60 : 0;
        return new MemorySeries(points[0].Y, points[^1].Y, points.Min(p => p.Y), points.Max(p => p.Y), Slope(points), Slope(secondHalf) * span);
    }

    /// <summary>Least-squares slope, in MiB per minute.</summary>
    private static double Slope(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 2)
        {
            return 0;
        }

        var meanX = points.Average(p => p.X);
        var meanY = points.Average(p => p.Y);
        var numerator = points.Sum(p => (p.X - meanX) * (p.Y - meanY));
        var denominator = points.Sum(p => (p.X - meanX) * (p.X - meanX));
        return denominator == 0 ? 0 : numerator / denominator * 60;
    }
}

/// <summary>The service's resident memory sampled during the soak.</summary>
internal sealed record RssReport(IReadOnlyList<RssSample> Samples, ResidentMemory BeforeWarmup, ResidentMemory AfterDrain)
{
    public MemorySeries Total => MemorySeries.Of(Samples, s => s.Bytes);

    public MemorySeries Anon => MemorySeries.Of(Samples, s => s.AnonBytes);

    public MemorySeries File => MemorySeries.Of(Samples, s => s.FileBytes);

    /// <summary>The target, judged on VmRSS as the issue states it: no steady growth once warmed up.</summary>
    public bool Flat => Total.Flat(Total.Last);
}

internal sealed record HealthSnapshot(string Status, long QueueDepth, long DeadLetters);

internal sealed record IngestReport(
    WrkResult Ceiling,
    WrkResult Ingest,
    WrkResult? Soak,
    RssReport? Rss,
    double MeanBodyBytes,
    double DrainSeconds,
    HealthSnapshot FinalHealth,
    long HistoryRows,
    long HistoryLowerBound,
    long HistoryUpperBound,
    long TemplateRows,
    long Repeated)
{
    public bool Valid => Ceiling.Clean && Ingest.Clean && (Soak?.Clean ?? true)
        && FinalHealth.QueueDepth == 0 && FinalHealth.DeadLetters == 0
        && HistoryRows >= HistoryLowerBound && HistoryRows <= HistoryUpperBound;
}

/// <summary>
/// The ingest benchmark: wrk against the ceiling server, then against the real service in Release with
/// durable enqueue, the same way (same connections, threads, bodies shape and durations). Every ingest
/// request carries a body never sent before, signed with the service's secret, so each one is a new
/// change stored with group commit, never a deduplicated repeat.
/// </summary>
internal sealed class IngestBenchmark(BenchmarkOptions options, string repoRoot, string workDir, TextWriter progress)
{
    /// <summary>How often /healthz is polled while the worker drains, until the queue is empty or the deadline passes.</summary>
    private static readonly TimeSpan DrainPollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The most bodies one run gets; past it a run would repeat bodies, which the report shows.</summary>
    private const int MaxBodiesPerRun = 1_500_000;

    /// <summary>Bodies for the ceiling: it stores nothing, so cycling through them repeats nothing that matters.</summary>
    private const int CeilingBodies = 50_000;

    private readonly string _secret = RandomHex(32);
    private long _nextSequence = 10_000_000;
    private double _meanBodyBytes;

    public async Task<IngestReport> RunAsync()
    {
        var logs = Directory.CreateDirectory(Path.Combine(workDir, "logs")).FullName;
        var bodies = Directory.CreateDirectory(Path.Combine(workDir, "bodies")).FullName;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var ceiling = await RunCeilingAsync(http, logs, bodies);

        var dataDir = Directory.CreateDirectory(Path.Combine(workDir, "service-data")).FullName;
        var serviceDll = Path.GetFullPath(options.ServiceDll ?? Path.Combine(repoRoot, "src", "WebhookProcessor", "bin", "Release", "net10.0", "WebhookProcessor.dll"));
        if (!File.Exists(serviceDll))
        {
            throw new FileNotFoundException($"Build the service in Release first: {serviceDll} is missing.");
        }

        var port = FreePort();
        var baseUrl = new Uri(Invariant($"http://127.0.0.1:{port}"));
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Meta__AppSecrets__0"] = _secret,
            ["Meta__VerifyToken"] = RandomHex(16),
            ["Ops__ApiKeys__0"] = RandomHex(24),
            ["Storage__Sqlite__Path"] = dataDir,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in options.ServiceEnvironment)
        {
            env[key] = value;
        }

        // Phase A measures the endpoint: durable enqueue with the worker paused, so the figure is the
        // intake's own and not the worker's CPU on the same two cores (it is measured on its own below).
        var intakeOnly = new Dictionary<string, string>(env) { ["Queue__WorkerEnabled"] = "false" };
        foreach (var (key, value) in options.ServiceEnvironment)
        {
            intakeOnly[key] = value;
        }

        var endpoint = new Uri(baseUrl, CeilingServer.Route);
        var runs = new List<(WrkResult Result, int Bodies)>();
        WrkResult ingest;
        ResidentMemory rssBeforeWarmup;
        progress.WriteLine($"service: starting {serviceDll} on {baseUrl} with the worker paused (data in {dataDir})");
        await using (var intake = ChildProcess.Start("service-intake", "dotnet", [serviceDll, "--urls", baseUrl.ToString()],
            Path.GetDirectoryName(serviceDll)!, intakeOnly, Path.Combine(logs, "service-intake.log")))
        {
            await intake.WaitUntilReadyAsync(http, new Uri(baseUrl, "/healthz"), TimeSpan.FromSeconds(60));
            progress.WriteLine($"service: ready, pid {intake.Id}");
            rssBeforeWarmup = intake.ResidentMemory() ?? new ResidentMemory(0, 0, 0);

            // Ingest is not expected above the ceiling's rate; most of these are left unused, which costs little.
            var warmupBodies = Size(0.6 * ceiling.RequestsPerSecond, options.WarmupSeconds);
            if (options.WarmupSeconds > 0)
            {
                runs.Add((await RunIngestAsync("ingest-warmup", endpoint, bodies, warmupBodies, options.WarmupSeconds, intake, logs), warmupBodies));
            }

            var estimate = runs.Count > 0 ? runs[^1].Result.RequestsPerSecond : ceiling.RequestsPerSecond;
            var measuredBodies = Size(estimate, options.DurationSeconds);
            ingest = await RunIngestAsync("ingest", endpoint, bodies, measuredBodies, options.DurationSeconds, intake, logs);
            runs.Add((ingest, measuredBodies));
        }

        // Phase B: the same data, the worker on. It drains phase A's backlog while the soak adds more,
        // so the memory samples and the exactly-once check cover the whole service.
        progress.WriteLine("service: restarting with the worker on");
        await using var service = ChildProcess.Start("service", "dotnet", [serviceDll, "--urls", baseUrl.ToString()],
            Path.GetDirectoryName(serviceDll)!, env, Path.Combine(logs, "service.log"));
        await service.WaitUntilReadyAsync(http, new Uri(baseUrl, "/healthz"), TimeSpan.FromSeconds(60));

        WrkResult? soak = null;
        List<RssSample>? samples = null;
        if (options.SoakSeconds > 0)
        {
            var soakBodies = Size(ingest.RequestsPerSecond, options.SoakSeconds);
            samples = [];
            using var stopSampling = new CancellationTokenSource();
            var sampler = SampleRssAsync(service, samples, TimeSpan.FromSeconds(options.RssIntervalSeconds), stopSampling.Token);
            soak = await RunIngestAsync("ingest-soak", endpoint, bodies, soakBodies, options.SoakSeconds, service, logs);
            await stopSampling.CancelAsync();
            await sampler;
            runs.Add((soak, soakBodies));
        }

        progress.WriteLine("service: waiting for the worker to drain the queue");
        var drainClock = Stopwatch.StartNew();
        var health = await WaitForDrainAsync(http, new Uri(baseUrl, "/healthz"), TimeSpan.FromSeconds(options.DrainTimeoutSeconds));
        var drainSeconds = drainClock.Elapsed.TotalSeconds;
        var rssAfterDrain = service.ResidentMemory() ?? new ResidentMemory(0, 0, 0);
        var (historyRows, templateRows) = CountCatalog(Path.Combine(dataDir, "catalog.db"));

        var repeated = runs.Sum(r => Math.Max(0, r.Result.Repeated));
        var lower = runs.Sum(r => r.Result.Requests) - repeated;
        var upper = runs.Sum(r => Math.Min(r.Result.Issued, r.Bodies));
        progress.WriteLine($"service: drained in {drainSeconds:0.0} s; health {health}; history rows {historyRows} (expected {lower}..{upper})");

        return new IngestReport(
            ceiling, ingest, soak,
            samples is { Count: > 0 } ? new RssReport(samples, rssBeforeWarmup, rssAfterDrain) : null,
            _meanBodyBytes, drainSeconds, health, historyRows, lower, upper, templateRows, repeated);
    }

    private async Task<WrkResult> RunCeilingAsync(HttpClient http, string logs, string bodies)
    {
        var port = FreePort();
        var baseUrl = new Uri(Invariant($"http://127.0.0.1:{port}"));
        var benchmarkDll = Path.Combine(AppContext.BaseDirectory, "WebhookProcessor.Benchmarks.dll");
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        progress.WriteLine($"ceiling: starting the empty ASP.NET Core server on {baseUrl}");
        await using var server = ChildProcess.Start("ceiling", "dotnet", [benchmarkDll, CeilingServer.Command, "--urls", baseUrl.ToString()],
            AppContext.BaseDirectory, env, Path.Combine(logs, "ceiling.log"));
        await server.WaitUntilReadyAsync(http, new Uri(baseUrl, "/healthz"), TimeSpan.FromSeconds(60));

        var prefix = Path.Combine(bodies, "ceiling-");
        _meanBodyBytes = WebhookBodies.WriteSignedFiles(prefix, options.Threads, 0, CeilingBodies, _secret);
        var endpoint = new Uri(baseUrl, CeilingServer.Route);
        if (options.WarmupSeconds > 0)
        {
            Report(await Wrk.RunAsync("ceiling-warmup", endpoint, prefix, options.WarmupSeconds, options, server, logs));
        }

        var result = await Wrk.RunAsync("ceiling", endpoint, prefix, options.DurationSeconds, options, server, logs);
        Report(result);
        return result;
    }

    private async Task<WrkResult> RunIngestAsync(string label, Uri endpoint, string bodies, int count, int seconds, ChildProcess service, string logs)
    {
        var prefix = Path.Combine(bodies, label + "-");
        progress.WriteLine($"{label}: signing {count:N0} distinct bodies");
        WebhookBodies.WriteSignedFiles(prefix, options.Threads, _nextSequence, count, _secret);
        _nextSequence += count;
        var result = await Wrk.RunAsync(label, endpoint, prefix, seconds, options, service, logs);
        Report(result);
        for (var k = 0; k < options.Threads; k++)
        {
            File.Delete(Invariant($"{prefix}{k}.txt"));
        }

        return result;
    }

    /// <summary>Enough distinct bodies for <paramref name="seconds"/> at twice the expected rate.</summary>
    private static int Size(double expectedRequestsPerSecond, int seconds) =>
        (int)Math.Min(MaxBodiesPerRun, (expectedRequestsPerSecond * seconds * 2) + 20_000);

    private void Report(WrkResult r) =>
        progress.WriteLine(Invariant(
            $"{r.Label}: {r.RequestsPerSecond:N0} req/s, p50 {r.P50Ms:0.00} ms, p99 {r.P99Ms:0.00} ms, {r.Requests:N0} requests, non-2xx {r.Non2xx}, socket errors {r.SocketErrors}, repeated bodies {r.Repeated}, server {r.ServerCores:0.00} cores, wrk {r.WrkCores:0.00}, other processes {r.OtherCores:0.00}{(r.Disturbed ? " (DISTURBED: something else was using the CPU)" : "")}"));

    private static async Task SampleRssAsync(ChildProcess service, List<RssSample> samples, TimeSpan interval, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                if (service.ResidentMemory() is { } memory)
                {
                    samples.Add(new RssSample(clock.Elapsed.TotalSeconds, memory.Rss, memory.Anon, memory.File));
                }
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Polls /healthz until the queue is empty; gives up at the timeout, or once the depth has not dropped for 15 s (no worker running).</summary>
    private static async Task<HealthSnapshot> WaitForDrainAsync(HttpClient http, Uri healthz, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var lowest = long.MaxValue;
        var lastProgress = clock.Elapsed;
        while (true)
        {
            using var response = await http.GetAsync(healthz);
            await using var stream = await response.Content.ReadAsStreamAsync();
            using var json = await JsonDocument.ParseAsync(stream);
            var root = json.RootElement;
            var health = new HealthSnapshot(
                root.GetProperty("status").GetString() ?? "?",
                root.GetProperty("queueDepth").GetInt64(),
                root.GetProperty("deadLetterCount").GetInt64());
            if (health.QueueDepth < lowest)
            {
                lowest = health.QueueDepth;
                lastProgress = clock.Elapsed;
            }

            if (health.QueueDepth == 0 || clock.Elapsed > timeout || clock.Elapsed - lastProgress > TimeSpan.FromSeconds(15))
            {
                return health;
            }

            await Task.Delay(DrainPollInterval);
        }
    }

    private static (long Events, long Templates) CountCatalog(string catalogPath)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = catalogPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM templates)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static string RandomHex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
