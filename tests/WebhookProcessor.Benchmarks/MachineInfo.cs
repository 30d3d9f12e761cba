using System.Diagnostics;
using System.Runtime.InteropServices;

namespace WebhookProcessor.Benchmarks;

/// <summary>What the figures depend on: cores, CPU, runtime, SDK, wrk, and how long an fsync takes on the disk used.</summary>
internal sealed record MachineInfo(int Cores, string Cpu, string Os, string Runtime, string Sdk, string Wrk, double FsyncMedianMs, double FsyncP99Ms)
{
    public static MachineInfo Collect(string repoRoot, string probeFolder)
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
        var (median, p99) = ProbeFsync(probeFolder);
        return new MachineInfo(
            Environment.ProcessorCount,
            cpu,
            RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            Run("dotnet", repoRoot, "--version"),
            Run("wrk", repoRoot, "-v").Split('\n')[0].Trim(),
            median,
            p99);
    }

    /// <summary>
    /// Durable enqueue costs at least one fsync per group commit, so the disk's fsync time bounds ingest
    /// latency: 200 appends of 4 KiB each followed by fsync, as a WAL commit does.
    /// </summary>
    private static (double Median, double P99) ProbeFsync(string folder)
    {
        var path = Path.Combine(folder, "fsync-probe.bin");
        var block = new byte[4096];
        var times = new List<double>();
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None))
        {
            for (var i = 0; i < 200; i++)
            {
                var clock = Stopwatch.StartNew();
                file.Write(block);
                file.Flush(flushToDisk: true);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        File.Delete(path);
        times.Sort();
        return (times[times.Count / 2], times[(int)(times.Count * 0.99)]);
    }

    private static string Run(string fileName, string workingDirectory, string argument)
    {
        try
        {
            var info = new ProcessStartInfo(fileName)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                ArgumentList = { argument },
            };
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return output.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "not installed";
        }
    }
}
