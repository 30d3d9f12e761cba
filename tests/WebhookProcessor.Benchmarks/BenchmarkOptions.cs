using System.Globalization;

namespace WebhookProcessor.Benchmarks;

/// <summary>Command-line settings of a benchmark run; every duration and size can be changed.</summary>
internal sealed class BenchmarkOptions
{
    public const string Usage = """
        WebhookProcessor benchmark: ingest vs an empty-endpoint ceiling (wrk), worker throughput, memory.

        Usage: WebhookProcessor.Benchmarks [options]
               WebhookProcessor.Benchmarks ceiling-server --urls http://127.0.0.1:<port>

        Options (defaults in brackets):
          --duration <s>         measured wrk run per server [20]
          --warmup <s>           wrk warm-up run per server, not reported [10]
          --soak <s>             ingest run during which the service's RSS is sampled; 0 skips it [60]
          --rss-interval <s>     RSS sampling interval during the soak [2]
          --drain-timeout <s>    how long the worker may take to empty the queue after the load; waiting also
                                 stops once the depth has not dropped for 15 s [600]
          --connections <n>      wrk connections [32]
          --threads <n>          wrk threads [2]
          --worker-events <n>    events pre-filled into the queue for the worker benchmark [100000]
          --worker-batch <n>     lease batch size for the worker benchmark [the service default, Queue:BatchSize]
          --worker-templates <n> distinct templates the worker events spread over [2000]
          --skip-ingest          run only the worker benchmark
          --skip-worker          run only the ingest benchmark
          --quick                short smoke run: 3 s warm-up, 5 s measured, 10 s soak, 20000 worker events
          --out <file>           also write the markdown summary there [artifacts/benchmarks/summary.md]
          --work-dir <dir>       where databases and bodies go [a fresh folder under the temp dir]
          --keep                 keep the work folder afterwards
          --repo <dir>           repository root [found from the current or the program's folder]
          --service-dll <file>   the service to start [<repo>/src/WebhookProcessor/bin/Release/net10.0/WebhookProcessor.dll]
          --service-env <K=V>    extra environment for the service, repeatable, to try a setting without editing
                                 appsettings (for example Queue__BatchSize=1000)

        Exit code: 0 every target met, 1 a target missed, 2 the run itself was not valid.
        """;

    public int DurationSeconds { get; private set; } = 20;

    public int WarmupSeconds { get; private set; } = 10;

    public int SoakSeconds { get; private set; } = 60;

    public double RssIntervalSeconds { get; private set; } = 2;

    public int DrainTimeoutSeconds { get; private set; } = 600;

    public int Connections { get; private set; } = 32;

    public int Threads { get; private set; } = 2;

    public int WorkerEvents { get; private set; } = 100_000;

    public int WorkerBatch { get; private set; } = WebhookProcessor.Queue.QueueOptions.DefaultBatchSize;

    public int WorkerTemplates { get; private set; } = 2_000;

    public bool SkipIngest { get; private set; }

    public bool SkipWorker { get; private set; }

    public string? OutFile { get; private set; }

    public string? WorkDir { get; private set; }

    public bool Keep { get; private set; }

    public string? RepoRoot { get; private set; }

    public string? ServiceDll { get; private set; }

    public IReadOnlyDictionary<string, string> ServiceEnvironment => _serviceEnvironment;

    private readonly Dictionary<string, string> _serviceEnvironment = [];

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var o = new BenchmarkOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count)
                {
                    throw new ArgumentException($"{name} needs a value.");
                }

                return args[++i];
            }

            int Int(int min) => ParseInt(name, Value(), min);

            switch (name)
            {
                case "--duration": o.DurationSeconds = Int(1); break;
                case "--warmup": o.WarmupSeconds = Int(0); break;
                case "--soak": o.SoakSeconds = Int(0); break;
                case "--rss-interval": o.RssIntervalSeconds = ParseDouble(name, Value()); break;
                case "--drain-timeout": o.DrainTimeoutSeconds = Int(1); break;
                case "--connections": o.Connections = Int(1); break;
                case "--threads": o.Threads = Int(1); break;
                case "--worker-events": o.WorkerEvents = Int(1); break;
                case "--worker-batch": o.WorkerBatch = Int(1); break;
                case "--worker-templates": o.WorkerTemplates = Int(1); break;
                case "--skip-ingest": o.SkipIngest = true; break;
                case "--skip-worker": o.SkipWorker = true; break;
                case "--quick":
                    o.WarmupSeconds = 3;
                    o.DurationSeconds = 5;
                    o.SoakSeconds = 10;
                    o.WorkerEvents = 20_000;
                    break;
                case "--out": o.OutFile = Value(); break;
                case "--work-dir": o.WorkDir = Value(); break;
                case "--keep": o.Keep = true; break;
                case "--repo": o.RepoRoot = Value(); break;
                case "--service-dll": o.ServiceDll = Value(); break;
                case "--service-env":
                    var pair = Value().Split('=', 2);
                    if (pair.Length != 2 || pair[0].Length == 0)
                    {
                        throw new ArgumentException("--service-env takes KEY=VALUE.");
                    }

                    o._serviceEnvironment[pair[0]] = pair[1];
                    break;
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        if (o.Threads > o.Connections)
        {
            throw new ArgumentException("--threads cannot exceed --connections.");
        }

        return o;
    }

    private static int ParseInt(string name, string text, int min) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw new ArgumentException($"{name} must be a whole number of at least {min}, not '{text}'.");

    private static double ParseDouble(string name, string text) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name} must be a positive number, not '{text}'.");
}
