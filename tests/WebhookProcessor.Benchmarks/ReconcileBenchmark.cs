using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;
using WebhookProcessor.Reconciliation;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Benchmarks;

/// <summary>
/// Reconciliation at scale: the product's <see cref="AccountReconciler"/> with its real
/// <see cref="GraphApiClient"/> (as <c>AddGraphApi</c> registers it: resilience pipeline, call budget)
/// against a fast in-process fake Graph API on loopback (Kestrel, pages linked by <c>paging.next</c>),
/// committing into a fresh SQLite catalog. Three runs over every account: a bootstrap (everything added),
/// a run with nothing changed, and a run after a share of the templates changed at "Meta". Reported per
/// run: wall time, Graph API requests, what was applied, and memory (peak and current RSS of this process,
/// which also hosts the fake, and the GC heap).
/// </summary>
internal static class ReconcileBenchmark
{
    public const string Command = "reconcile";

    public const string Usage = """
        Usage: WebhookProcessor.Benchmarks reconcile [--accounts <n>] [--templates <n>] [--page-sizes <n,n>] [--change-percent <n>]
          --accounts <n>        accounts (WABAs) reconciled in one run, one after the other [20]
          --templates <n>       templates per account [2000]
          --page-sizes <n,n>    Meta:GraphApi:PageSize values, each measured on a fresh catalog [100,1000]
          --change-percent <n>  share of templates changed at Meta before the third run [5]
        Prints a markdown summary. Meta:GraphApi:CallsPerHourPerAccount is raised for the benchmark (see the summary).
        """;

    /// <summary>Raised from Meta's 200 so that the budget never makes the benchmark wait; the summary says so.</summary>
    private const int BenchmarkCallsPerHour = 1_000_000;

    private static readonly string[] Categories = ["UTILITY", "MARKETING", "AUTHENTICATION"];

    public static async Task<int> RunAsync(string[] args)
    {
        int accounts = 20, templates = 2000, changePercent = 5;
        int[] pageSizes = [GraphApiOptionsDefaults.PageSize, 1000];
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--accounts": accounts = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--templates": templates = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--change-percent": changePercent = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--page-sizes": pageSizes = [.. args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }

        var markdown = new StringBuilder();
        markdown.AppendLine(CultureInfo.InvariantCulture, $"Reconciliation benchmark: {accounts} accounts × {templates:N0} templates ({accounts * templates:N0}), accounts one after the other, fake Graph API in process on loopback, fresh SQLite catalog per page size");
        markdown.AppendLine(CultureInfo.InvariantCulture, $"({Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, Meta:GraphApi:CallsPerHourPerAccount raised to {BenchmarkCallsPerHour:N0} so the budget never waits)");
        markdown.AppendLine();
        markdown.AppendLine("| page size | run | wall time | Graph requests | per account | templates seen | added | changed | pending found | alerts planned | peak RSS (VmHWM) | RSS after | GC heap after | allocated |");
        markdown.AppendLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var valid = true;
        var callsPerAccountRun = new Dictionary<int, double>();
        foreach (var pageSize in pageSizes)
        {
            await using var graph = await FakeGraph.StartAsync(accounts, templates);
            var work = Directory.CreateTempSubdirectory("webhookprocessor-reconcile-bench-").FullName;
            try
            {
                var catalogPath = Path.Combine(work, "catalog.db");
                using var notifications = new SqliteNotificationStore(new SqliteDatabase(catalogPath));
                await using var store = new SqliteTemplateStore(new SqliteDatabase(catalogPath), TimeProvider.System, NullLogger<SqliteTemplateStore>.Instance);
                // Alerts as in the service: a default owner with an address, so the outbox is written.
                await notifications.SaveOwnerAsync(new Owner { Id = "ops", DisplayName = "Ops", Emails = ["ops@example.com"] }, TimeProvider.System.GetUtcNow());
                await using var provider = Services(graph.BaseAddress, pageSize, store, notifications);
                var reconciler = provider.GetRequiredService<AccountReconciler>();

                foreach (var (name, bootstrap) in new[] { ("1 bootstrap", true), ("2 no change", false), ($"3 after {changePercent} % changed", false) })
                {
                    if (!bootstrap && name.StartsWith('3'))
                    {
                        graph.Change(changePercent);
                    }

                    var row = await RunAsync(reconciler, notifications, graph, accounts, bootstrap);
                    valid &= row.Failed == 0 && row.Seen == accounts * templates && (!bootstrap || row.Added == accounts * templates)
                        && (name[0] != '2' || (row.Changed == 0 && row.Alerts == 0));
                    if (name[0] == '2')
                    {
                        callsPerAccountRun[pageSize] = (double)row.Requests / accounts;
                    }

                    markdown.AppendLine(CultureInfo.InvariantCulture,
                        $"| {pageSize:N0} | {name} | {row.Wall.TotalSeconds:0.00} s | {row.Requests:N0} | {(double)row.Requests / accounts:0.#} | {row.Seen:N0} | {row.Added:N0} | {row.Changed:N0} | {row.Pending:N0} | {row.Alerts:N0} | {Mb(row.PeakRss)} | {Mb(row.Rss)} | {Mb(row.GcHeap)} | {Mb(row.Allocated)} |");
                    Console.Error.WriteLine($"reconcile: page size {pageSize}, run {name}: {row.Wall.TotalSeconds:0.0} s, {row.Requests} requests");
                }
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(work, recursive: true);
            }
        }

        markdown.AppendLine();
        markdown.AppendLine(CultureInfo.InvariantCulture, $"Calls a day for one account of {templates:N0} templates at the default interval (6 h, 4 runs a day), against Meta's documented budget of 200 calls an hour per app and account (4,800 a day):");
        markdown.AppendLine();
        foreach (var (pageSize, calls) in callsPerAccountRun)
        {
            var perDay = calls * 4;
            markdown.AppendLine(CultureInfo.InvariantCulture, $"- page size {pageSize:N0}: {calls:0.#} calls a run, **{perDay:0.#} calls a day** = {perDay / 4800:0.0%} of the daily budget; one run uses {calls / 200:0.0%} of an hour's budget");
        }

        Console.Out.Write(markdown.ToString());
        return valid ? 0 : 2;
    }

    private static async Task<RunRow> RunAsync(AccountReconciler reconciler, INotificationStore notifications, FakeGraph graph, int accounts, bool bootstrap)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        ResetPeakRss();
        var alertsBefore = await OutboxAsync(notifications);
        var requestsBefore = graph.Requests;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var runId = ReconciliationRunIds.New(TimeProvider.System.GetUtcNow());
        var clock = Stopwatch.StartNew();
        var results = new List<AccountReconciliation>(accounts);
        for (var a = 0; a < accounts; a++)
        {
            results.Add(await reconciler.ReconcileAsync(FakeGraph.WabaId(a), runId, bootstrap, null, CancellationToken.None));
        }

        clock.Stop();
        var (peak, rss) = ReadRss();
        var alerts = await OutboxAsync(notifications) - alertsBefore;
        foreach (var failed in results.Where(r => r.Status != AccountRunStatus.Succeeded))
        {
            Console.Error.WriteLine($"reconcile: account {failed.WabaId} {failed.Status}: {failed.Error}");
        }

        return new RunRow(
            clock.Elapsed,
            graph.Requests - requestsBefore,
            results.Sum(r => r.TemplatesSeen),
            results.Sum(r => r.Added),
            results.Sum(r => r.Changed),
            results.Sum(r => r.PendingChangesFound),
            alerts,
            results.Count(r => r.Status != AccountRunStatus.Succeeded),
            peak,
            rss,
            GC.GetGCMemoryInfo().HeapSizeBytes,
            GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore);
    }

    /// <summary>Alerts in the outbox: nothing delivers them here, so every one planned is still pending.</summary>
    private static async Task<long> OutboxAsync(INotificationStore notifications)
    {
        var stats = await notifications.GetStatsAsync();
        return stats.Pending + stats.Unrouted;
    }

    private static ServiceProvider Services(Uri graphApi, int pageSize, ITemplateStore store, INotificationStore notifications)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Meta:GraphApi:AccessToken"] = "EAAGbenchmark-token",
            ["Meta:GraphApi:BaseUrl"] = graphApi.ToString(),
            ["Meta:GraphApi:PageSize"] = pageSize.ToString(CultureInfo.InvariantCulture),
            ["Meta:GraphApi:CallsPerHourPerAccount"] = BenchmarkCallsPerHour.ToString(CultureInfo.InvariantCulture),
        }).Build());
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddGraphApi();
        services.AddSingleton(store);
        services.AddSingleton(notifications);
        services.AddSingleton(Options.Create(new NotificationOptions()));
        services.AddSingleton(Options.Create(new ReconciliationOptions()));
        services.AddSingleton<AlertSignals>();
        services.AddSingleton<AccountReconciler>();
        return services.BuildServiceProvider();
    }

    /// <summary>Linux: writing 5 to clear_refs resets VmHWM, so each run's peak is its own.</summary>
    private static void ResetPeakRss()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"reconcile: could not reset the peak RSS ({ex.Message}); VmHWM is the process's peak so far");
        }
    }

    private static (long Peak, long Rss) ReadRss()
    {
        long peak = 0, rss = 0;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kb(line);
            }
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kb(line);
            }
        }

        return (peak, rss);

        static long Kb(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " MB";

    private sealed record RunRow(TimeSpan Wall, long Requests, int Seen, int Added, int Changed, int Pending, long Alerts, int Failed, long PeakRss, long Rss, long GcHeap, long Allocated);

    /// <summary>The product's default page size, read from its options so the benchmark follows it.</summary>
    private static class GraphApiOptionsDefaults
    {
        public static readonly int PageSize = new GraphApiOptions().PageSize;
    }

    /// <summary>
    /// A Graph API stand-in fast enough not to be what is measured: every account's templates in memory,
    /// each page written straight to the response with the field names and shapes Meta uses.
    /// </summary>
    private sealed class FakeGraph : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly Template[][] _accounts;
        private long _requests;

        private FakeGraph(WebApplication app, Template[][] accounts)
        {
            _app = app;
            _accounts = accounts;
        }

        public Uri BaseAddress { get; private set; } = null!;

        public long Requests => Interlocked.Read(ref _requests);

        public static string WabaId(int account) => (900_000_000_000 + account).ToString(CultureInfo.InvariantCulture);

        public static async Task<FakeGraph> StartAsync(int accounts, int templates)
        {
            var data = new Template[accounts][];
            for (var a = 0; a < accounts; a++)
            {
                data[a] = new Template[templates];
                for (var j = 0; j < templates; j++)
                {
                    var category = Categories[j % 3];
                    data[a][j] = new Template
                    {
                        Id = 1_000_000_000_000 + (a * 1_000_000L) + j,
                        Name = $"tpl_{a}_{j}",
                        Status = j % 20 == 0 ? "REJECTED" : "APPROVED",
                        Category = category,
                        // One in fifty already has a change pending at Meta.
                        CorrectCategory = j % 50 == 7 ? Categories[(j + 1) % 3] : "",
                        Quality = "GREEN",
                    };
                }
            }

            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var graph = new FakeGraph(app, data);
            app.Run(graph.HandleAsync);
            await app.StartAsync();
            graph.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/");
            return graph;
        }

        /// <summary>Changes <paramref name="percent"/> % of every account's templates: a status, a quality, a new pending change, a completed change, in turn.</summary>
        public void Change(int percent)
        {
            var every = 100 / percent;
            foreach (var templates in _accounts)
            {
                for (var j = 3; j < templates.Length; j += every)
                {
                    var t = templates[j];
                    switch (j / every % 4)
                    {
                        case 0: t.Status = "PAUSED"; break;
                        case 1: t.Quality = "YELLOW"; break;
                        case 2: t.CorrectCategory = Other(t.Category); break;
                        default:
                            t.Category = Other(t.Category);
                            t.CorrectCategory = t.Category;
                            break;
                    }
                }
            }

            static string Other(string category) => Categories[(Array.IndexOf(Categories, category) + 1) % 3];
        }

        private async Task HandleAsync(HttpContext context)
        {
            Interlocked.Increment(ref _requests);
            var segments = (context.Request.Path.Value ?? "").Trim('/').Split('/');
            if (segments is not [_, var waba, "message_templates"]
                || !long.TryParse(waba, CultureInfo.InvariantCulture, out var wabaNumber)
                || wabaNumber - 900_000_000_000 is var account && (account < 0 || account >= _accounts.Length))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            var limit = int.Parse(context.Request.Query["limit"].ToString(), CultureInfo.InvariantCulture);
            var after = int.TryParse(context.Request.Query["after"], CultureInfo.InvariantCulture, out var a) ? a : 0;
            var templates = _accounts[account];
            context.Response.ContentType = "application/json";
            await using (var w = new Utf8JsonWriter(context.Response.BodyWriter.AsStream()))
            {
                w.WriteStartObject();
                w.WriteStartArray("data");
                for (var i = after; i < Math.Min(after + limit, templates.Length); i++)
                {
                    templates[i].Write(w);
                }

                w.WriteEndArray();
                w.WriteStartObject("paging");
                w.WriteStartObject("cursors");
                w.WriteString("before", after.ToString(CultureInfo.InvariantCulture));
                w.WriteString("after", (after + limit).ToString(CultureInfo.InvariantCulture));
                w.WriteEndObject();
                if (after + limit < templates.Length)
                {
                    w.WriteString("next", $"{BaseAddress}{segments[0]}/{waba}/message_templates?fields={Uri.EscapeDataString(context.Request.Query["fields"].ToString())}&limit={limit}&after={after + limit}");
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private sealed class Template
    {
        public long Id { get; init; }

        public required string Name { get; init; }

        public required string Status { get; set; }

        public required string Category { get; set; }

        public required string CorrectCategory { get; set; }

        public required string Quality { get; set; }

        public void Write(Utf8JsonWriter w)
        {
            w.WriteStartObject();
            w.WriteString("id", Id.ToString(CultureInfo.InvariantCulture));
            w.WriteString("name", Name);
            w.WriteString("language", "en_US");
            w.WriteString("status", Status);
            w.WriteString("category", Category);
            w.WriteNull("previous_category");
            w.WriteString("correct_category", CorrectCategory);
            w.WriteStartObject("quality_score");
            w.WriteString("score", Quality);
            w.WriteNumber("date", 1_764_000_000);
            w.WriteEndObject();
            w.WriteString("rejected_reason", Status == "REJECTED" ? "INVALID_FORMAT" : "NONE");
            w.WriteString("sub_category", "CUSTOM");
            w.WriteEndObject();
        }
    }
}
