using System.Diagnostics;
using System.Globalization;

namespace WebhookProcessor.Benchmarks;

/// <summary>
/// A server the benchmark started: its output goes to a log file, and it is always stopped, even when
/// the benchmark fails or is interrupted (every live child is tracked and killed on exit).
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    /// <summary>How often readiness is polled while waiting for a server to answer, until the deadline.</summary>
    private static readonly TimeSpan ReadinessPollInterval = TimeSpan.FromMilliseconds(100);

    private static readonly List<ChildProcess> Live = [];

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Task _pump;

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    private ChildProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
        _pump = Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError));
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, string logFile)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var child = new ChildProcess(name, process, new StreamWriter(logFile) { AutoFlush = true });
        lock (Live)
        {
            Live.Add(child);
        }

        return child;
    }

    /// <summary>Polls <paramref name="url"/> until it answers 2xx; fails if the process exits or the time runs out.</summary>
    public async Task WaitUntilReadyAsync(HttpClient http, Uri url, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready; see its log.");
            }

            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(ReadinessPollInterval);
        }

        throw new TimeoutException($"{Name} did not answer {url} within {timeout.TotalSeconds:0} s.");
    }

    /// <summary>Resident memory from /proc/&lt;pid&gt;/status; null once the process is gone.</summary>
    public ResidentMemory? ResidentMemory() => ProcFs.ResidentMemory(_process.Id);

    /// <summary>CPU time (user + system) the process has used so far.</summary>
    public TimeSpan? CpuTime() => ProcFs.ProcessCpuTime(_process.Id);

    /// <summary>Asks the process to stop (SIGTERM, a graceful ASP.NET Core shutdown), then kills it if it lingers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture) } }))
            {
                if (term is not null)
                {
                    await term.WaitForExitAsync();
                }
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        await _pump;
        lock (Live)
        {
            Live.Remove(this);
        }

        await _log.DisposeAsync();
        _process.Dispose();
    }

    private static void KillAll()
    {
        lock (Live)
        {
            foreach (var child in Live)
            {
                try
                {
                    if (!child._process.HasExited)
                    {
                        child._process.Kill(entireProcessTree: true);
                    }
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }
            }
        }
    }

    private async Task Pump(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_log)
            {
                _log.WriteLine(line);
            }
        }
    }
}

/// <summary>VmRSS = RssAnon + RssFile + RssShmem: what a leak grows is the anonymous part; mapped database files are the file part.</summary>
internal sealed record ResidentMemory(long Rss, long Anon, long File);

/// <summary>What /proc tells about processes and the machine (Linux only, like the benchmark).</summary>
internal static class ProcFs
{
    /// <summary>Clock ticks per second of /proc/*/stat and /proc/stat; 100 on every Linux the benchmark targets.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>VmRSS, and its anonymous (heap, stacks) and file-backed (mapped files) parts, in bytes.</summary>
    public static ResidentMemory? ResidentMemory(int pid)
    {
        try
        {
            long? rss = null, anon = null, file = null;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                switch (parts.Length > 1 ? parts[0] : string.Empty)
                {
                    case "VmRSS:": rss = Kilobytes(parts[1]); break;
                    case "RssAnon:": anon = Kilobytes(parts[1]); break;
                    case "RssFile:": file = Kilobytes(parts[1]); break;
                }
            }

            return rss is null ? null : new ResidentMemory(rss.Value, anon ?? 0, file ?? 0);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        static long Kilobytes(string value) => long.Parse(value, CultureInfo.InvariantCulture) * 1024;
    }

    public static TimeSpan? ProcessCpuTime(int pid) => StatTicks(pid.ToString(CultureInfo.InvariantCulture), 11, 12);

    /// <summary>CPU time of this process's children that have exited and been waited for (cutime + cstime): wrk's, once it has run.</summary>
    public static TimeSpan? ReapedChildrenCpuTime() => StatTicks("self", 13, 14);

    public static TimeSpan? OwnCpuTime() => StatTicks("self", 11, 12);

    private static TimeSpan? StatTicks(string process, int first, int second)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{process}/stat");
            // The command name may hold spaces; the fields after its closing parenthesis do not.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[first], CultureInfo.InvariantCulture) + long.Parse(fields[second], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Busy and total CPU time of the whole machine, summed over all cores, from /proc/stat.</summary>
    public static (TimeSpan Busy, TimeSpan Total) MachineCpu()
    {
        var line = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var idle = values[3] + (values.Length > 4 ? values[4] : 0);
        var total = values.Take(8).Sum();
        return (TimeSpan.FromSeconds((total - idle) / TicksPerSecond), TimeSpan.FromSeconds(total / TicksPerSecond));
    }
}
