using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace WebhookProcessor.Benchmarks;

/// <summary>What one wrk run measured, read from its own report.</summary>
internal sealed record WrkResult(
    string Label,
    double RequestsPerSecond,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    long Requests,
    double DurationSeconds,
    long Non2xx,
    long SocketErrors,
    long Issued,
    long Repeated,
    double ServerCores,
    double MachineCores,
    double WrkCores,
    double OtherCores,
    string RawOutput)
{
    /// <summary>More than this many cores used by processes other than wrk, the server and the benchmark means the run was disturbed.</summary>
    public const double DisturbedAbove = 0.2;

    public bool Disturbed => OtherCores > DisturbedAbove;

    /// <summary>Every request answered 2xx, with no socket error or timeout.</summary>
    public bool Clean => Non2xx == 0 && SocketErrors == 0;
}

/// <summary>Runs wrk with webhooks.lua against one server and parses what it prints.</summary>
internal static partial class Wrk
{
    public static async Task<WrkResult> RunAsync(
        string label, Uri url, string bodiesPrefix, int seconds, BenchmarkOptions options, ChildProcess server, string logFolder)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "webhooks.lua");
        var info = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList =
            {
                "-t", options.Threads.ToString(CultureInfo.InvariantCulture),
                "-c", options.Connections.ToString(CultureInfo.InvariantCulture),
                "-d", Invariant($"{seconds}s"),
                "--timeout", "10s",
                "--latency",
                "-s", script,
                url.ToString(),
                "--", bodiesPrefix, url.AbsolutePath,
            },
        };

        // wrk formats every request in its init() before its clock starts, which takes seconds for a
        // large body file while the server sits idle. CPU is therefore sampled while wrk runs, and the
        // figures cover only the last DurationSeconds before it exits: the load itself.
        var before = CpuSample.Take(TimeSpan.Zero, server, wrk: TimeSpan.Zero);
        var childrenBefore = ProcFs.ReapedChildrenCpuTime();
        var wall = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start wrk.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var samples = new List<CpuSample> { before };
        using var stopSampling = new CancellationTokenSource();
        var sampler = SampleAsync(process, server, wall, samples, stopSampling.Token);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 120));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"wrk ({label}) did not finish in time.");
        }
        finally
        {
            await stopSampling.CancelAsync();
            await sampler;
        }

        wall.Stop();
        var childrenAfter = ProcFs.ReapedChildrenCpuTime();
        var after = CpuSample.Take(wall.Elapsed, server, wrk: childrenBefore is { } cb && childrenAfter is { } ca ? ca - cb : null);
        var output = await stdout + await stderr;
        await File.WriteAllTextAsync(Path.Combine(logFolder, $"wrk-{label}.txt"), output);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk ({label}) exited with code {process.ExitCode}:\n{output}");
        }

        var start = LoadStart(samples, wall.Elapsed, MeasuredSeconds(output));
        var window = (after.Elapsed - start.Elapsed).TotalSeconds;
        var serverCores = Cores(start.Server, after.Server, window);
        var machineCores = Cores(start.MachineBusy, after.MachineBusy, window);
        var wrkCores = Cores(start.Wrk, after.Wrk, window);
        var otherCores = machineCores - serverCores - wrkCores - Cores(start.Self, after.Self, window);
        return Parse(label, output, serverCores, machineCores, wrkCores, Math.Max(0, otherCores));
    }

    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>CPU used so far by the server, the machine, wrk and this process, at one moment of a run.</summary>
    private sealed record CpuSample(TimeSpan Elapsed, TimeSpan? Server, TimeSpan MachineBusy, TimeSpan? Wrk, TimeSpan? Self)
    {
        public static CpuSample Take(TimeSpan elapsed, ChildProcess server, TimeSpan? wrk) =>
            new(elapsed, server.CpuTime(), ProcFs.MachineCpu().Busy, wrk, ProcFs.OwnCpuTime());
    }

    private static async Task SampleAsync(Process wrk, ChildProcess server, Stopwatch wall, List<CpuSample> samples, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(SampleInterval, stop);
                var sample = CpuSample.Take(wall.Elapsed, server, ProcFs.ProcessCpuTime(wrk.Id));
                // Once wrk has exited its /proc entry is gone; the final figures come from the caller.
                if (sample.Wrk is not null)
                {
                    samples.Add(sample);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // wrk has exited: sampling is over.
        }
    }

    /// <summary>The last sample taken before the measured load began (<paramref name="measuredSeconds"/> before wrk exited).</summary>
    private static CpuSample LoadStart(List<CpuSample> samples, TimeSpan end, double? measuredSeconds)
    {
        if (measuredSeconds is not { } measured)
        {
            return samples[0];
        }

        var loadStart = end - TimeSpan.FromSeconds(measured);
        return samples.LastOrDefault(s => s.Elapsed <= loadStart) ?? samples[0];
    }

    private static double? MeasuredSeconds(string output) =>
        TotalsLine().Match(output) is { Success: true } totals
            ? ToMilliseconds(totals.Groups[2].Value, totals.Groups[3].Value) / 1000.0
            : null;

    /// <summary>Reads wrk's own Requests/sec line and latency distribution, plus the line webhooks.lua's done() prints.</summary>
    internal static WrkResult Parse(string label, string output, double serverCores, double machineCores, double wrkCores, double otherCores)
    {
        var rps = RequestsPerSecondLine().Match(output);
        var p50 = Percentile(output, "50");
        var p99 = Percentile(output, "99");
        var totals = TotalsLine().Match(output);
        if (!rps.Success || p50 is null || p99 is null || !totals.Success)
        {
            throw new FormatException($"Could not read wrk's report ({label}):\n{output}");
        }

        var non2xx = Non2xxLine().Match(output) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        long socketErrors = 0;
        if (SocketErrorsLine().Match(output) is { Success: true } s)
        {
            for (var g = 1; g <= 4; g++)
            {
                socketErrors += long.Parse(s.Groups[g].Value, CultureInfo.InvariantCulture);
            }
        }

        var bench = ScriptLine().Match(output);
        var fields = bench.Success
            ? bench.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(f => f.Split('='))
                .ToDictionary(f => f[0], f => long.Parse(f[1], CultureInfo.InvariantCulture))
            : [];

        return new WrkResult(
            label,
            double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture),
            p50.Value,
            p99.Value,
            fields.TryGetValue("max_us", out var max) ? max / 1000.0 : double.NaN,
            long.Parse(totals.Groups[1].Value, CultureInfo.InvariantCulture),
            ToMilliseconds(totals.Groups[2].Value, totals.Groups[3].Value) / 1000.0,
            non2xx,
            socketErrors,
            fields.GetValueOrDefault("issued", -1),
            fields.GetValueOrDefault("repeated", -1),
            serverCores,
            machineCores,
            wrkCores,
            otherCores,
            output);
    }

    private static double Cores(TimeSpan? before, TimeSpan? after, double seconds) =>
        before is { } b && after is { } a && seconds > 0 ? (a - b).TotalSeconds / seconds : double.NaN;

    private static double? Percentile(string output, string percent)
    {
        var match = Regex.Match(output, $@"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return match.Success ? ToMilliseconds(match.Groups[1].Value, match.Groups[2].Value) : null;
    }

    private static double ToMilliseconds(string number, string unit)
    {
        var value = double.Parse(number, CultureInfo.InvariantCulture);
        return unit switch
        {
            "us" => value / 1000,
            "ms" => value,
            "s" => value * 1000,
            "m" => value * 60_000,
            "h" => value * 3_600_000,
            _ => throw new FormatException($"Unknown wrk time unit '{unit}'."),
        };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^Requests/sec:\s+([\d.]+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex RequestsPerSecondLine();

    [GeneratedRegex(@"^\s+(\d+) requests in ([\d.]+)(us|ms|s|m|h),", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex TotalsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex Non2xxLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex SocketErrorsLine();

    [GeneratedRegex(@"^BENCH (.*)$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ScriptLine();
}
