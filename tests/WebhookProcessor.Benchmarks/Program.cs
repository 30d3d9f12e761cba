using WebhookProcessor.Benchmarks;

if (args.Length > 0 && args[0] == CeilingServer.Command)
{
    return await CeilingServer.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == ReconcileBenchmark.Command)
{
    return await ReconcileBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == TelemetryBenchmark.Command)
{
    return await TelemetryBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == TablesBenchmark.Command)
{
    return await TablesBenchmark.RunAsync(args[1..]);
}

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.Out.WriteLine(BenchmarkOptions.Usage);
    return 0;
}

BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

var repoRoot = options.RepoRoot ?? FindRepoRoot();
if (repoRoot is null)
{
    Console.Error.WriteLine("Cannot find the repository (WebhookProcessor.sln); run from inside it or pass --repo.");
    return 2;
}

// Progress goes to stderr so that stdout is the markdown summary alone.
var progress = Console.Error;
var startedAt = TimeProvider.System.GetUtcNow();
var workDir = options.WorkDir ?? Path.Combine(Path.GetTempPath(), $"webhookprocessor-bench-{Guid.NewGuid():N}");
Directory.CreateDirectory(workDir);
progress.WriteLine($"benchmark: work folder {workDir}");

var failed = true;
try
{
    var machine = MachineInfo.Collect(repoRoot, workDir);
    progress.WriteLine($"machine: {machine.Cores} cores, {machine.Cpu}, SDK {machine.Sdk}, {machine.Wrk}, fsync median {machine.FsyncMedianMs:0.00} ms");

    IngestReport? ingest = null;
    if (!options.SkipIngest)
    {
        ingest = await new IngestBenchmark(options, repoRoot, workDir, progress).RunAsync();
    }

    WorkerReport? worker = null;
    if (!options.SkipWorker)
    {
        worker = await new WorkerBenchmark(options, workDir, progress).RunAsync();
    }

    var (markdown, targetsMet, valid) = Summary.Write(options, args, machine, ingest, worker, startedAt);
    Console.Out.Write(markdown);
    var outFile = Path.GetFullPath(options.OutFile ?? Path.Combine(repoRoot, "artifacts", "benchmarks", "summary.md"));
    Directory.CreateDirectory(Path.GetDirectoryName(outFile)!);
    await File.WriteAllTextAsync(outFile, markdown);
    progress.WriteLine($"benchmark: summary written to {outFile}");
    failed = false;
    return !valid ? 2 : targetsMet ? 0 : 1;
}
catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or FormatException or HttpRequestException)
{
    progress.WriteLine($"benchmark: the run failed: {ex}");
    return 2;
}
finally
{
    if (options.Keep || failed)
    {
        progress.WriteLine($"benchmark: kept {workDir} (logs in its logs folder)");
    }
    else
    {
        Directory.Delete(workDir, recursive: true);
    }
}

static string? FindRepoRoot()
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

    return null;
}
