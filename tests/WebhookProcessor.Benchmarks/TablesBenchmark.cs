using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebhookProcessor.Azure;
using WebhookProcessor.Notifications;
using WebhookProcessor.Processing;
using WebhookProcessor.Queue;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.Benchmarks;

/// <summary>
/// The worker on Azure's stores: distinct changes read from realistic webhooks are processed one
/// message per invocation, as the Functions host hands Service Bus messages to ProcessTemplateEvent,
/// through <see cref="TemplateEventProcessor"/> and the Table stores against Azurite (started as the
/// integration tests start it: tests/tools, in memory, loopback). Every Table request is counted by kind
/// (<see cref="TableRequestCounter"/>); Service Bus operations are counted from what the path calls:
/// one send per intake batch (here one webhook, one change) and one receive and one complete per message.
/// </summary>
internal static class TablesBenchmark
{
    public const string Command = "tables";

    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public const string Usage = """
        Usage: WebhookProcessor.Benchmarks tables [--events <n>] [--templates <n>] [--concurrency <n>] [--repo <dir>]
          --events <n>       distinct events processed [5000]
          --templates <n>    templates they spread over [500]
          --concurrency <n>  invocations in flight at once, like the host's maxConcurrentCalls [16]
        Prints a markdown summary (events/s, Table requests per event by kind, Service Bus operations per event).
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        int events = 5000, templates = 500, concurrency = 16;
        string? repo = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--events": events = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--templates": templates = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--concurrency": concurrency = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--repo": repo = args[++i]; break;
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }

        repo ??= FindRepo();
        var azurite = Path.Combine(repo, "tests", "tools", "node_modules", "azurite", "dist", "src", "table", "main.js");
        if (!File.Exists(azurite))
        {
            Console.Error.WriteLine($"Azurite is not installed: run 'npm ci' in {Path.Combine(repo, "tests", "tools")} (run.sh does).");
            return 2;
        }

        var work = Directory.CreateTempSubdirectory("webhookprocessor-tables-bench-").FullName;
        var port = FreePort();
        await using var server = ChildProcess.Start(
            "Azurite", "node",
            [azurite, "--tableHost", "127.0.0.1", "--tablePort", port.ToString(CultureInfo.InvariantCulture), "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--disableProductStyleUrl", "--silent"],
            work, new Dictionary<string, string>(), Path.Combine(work, "azurite.log"));
        await WaitForPortAsync(port, server);

        var counter = new TableRequestCounter();
        var options = new TableClientOptions();
        options.AddPolicy(counter, global::Azure.Core.HttpPipelinePosition.PerRetry);
        var client = new TableServiceClient($"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:{port}/{AccountName};", options);
        var names = new TableNames("bench");
        var store = new TableTemplateStore(client, names, NullLogger<TableTemplateStore>.Instance);
        var notifications = new TableNotificationStore(client, names);
        // Alerts on, as in the service: paused and rejected events (30 % of the mix) alert a default owner by e-mail and Teams.
        await notifications.SaveOwnerAsync(
            new Owner { Id = "ops", DisplayName = "Ops", Emails = ["ops@example.com"], TeamsWebhookUrl = "https://example.invalid/workflows/1?sig=x" },
            DateTimeOffset.UnixEpoch);
        using var signals = new AlertSignals();
        var processor = new TemplateEventProcessor(store, notifications, Options.Create(new NotificationOptions()), signals, TimeProvider.System);

        var receivedAt = TimeProvider.System.GetUtcNow();
        var messages = new List<ChangeMessage>(events);
        var intakeBatches = 0;
        for (var i = 0; i < events; i++)
        {
            // One webhook, one intake batch: the queue sends it as one Service Bus batch.
            var read = EnvelopeReader.Read(Encoding.UTF8.GetBytes(WebhookBodies.Mixed(i, templates)), receivedAt);
            messages.AddRange(read.Changes);
            intakeBatches++;
        }

        counter.Reset();
        var invocations = 0;
        var outcomes = new Dictionary<ProcessResult, int>();
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < messages.Count)
            {
                var outcome = await processor.ProcessAsync([messages[index]]);
                lock (outcomes)
                {
                    invocations++;
                    outcomes[outcome[0].Result] = outcomes.GetValueOrDefault(outcome[0].Result) + 1;
                }
            }
        }));
        clock.Stop();

        var counts = counter.Counts;
        var total = counter.Total;
        // Per message the trigger receives it and completes it (peek-lock); intake sends each batch once.
        var serviceBus = intakeBatches + (2L * invocations);
        var markdown = new StringBuilder();
        markdown.AppendLine(CultureInfo.InvariantCulture, $"Tables benchmark: {messages.Count:N0} events over {templates:N0} templates, {concurrency} in flight, Azurite in memory on loopback");
        markdown.AppendLine();
        markdown.AppendLine(CultureInfo.InvariantCulture, $"- throughput: {messages.Count / clock.Elapsed.TotalSeconds:N0} events/s ({clock.Elapsed.TotalSeconds:0.0} s)");
        markdown.AppendLine(CultureInfo.InvariantCulture, $"- outcomes: {string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value:N0}"))}");
        markdown.AppendLine(CultureInfo.InvariantCulture, $"- Table requests per event: **{(double)total / messages.Count:0.00}** ({total:N0} in all)");
        markdown.AppendLine();
        markdown.AppendLine("| Table request | per event | count |");
        markdown.AppendLine("| --- | ---: | ---: |");
        foreach (var (kind, count) in counts)
        {
            markdown.AppendLine(CultureInfo.InvariantCulture, $"| {kind} | {(double)count / messages.Count:0.000} | {count:N0} |");
        }

        markdown.AppendLine();
        markdown.AppendLine(CultureInfo.InvariantCulture, $"- Service Bus operations per event: **{(double)serviceBus / messages.Count:0.00}** ({intakeBatches:N0} sends, {invocations:N0} receives, {invocations:N0} completes)");
        Console.Out.Write(markdown.ToString());
        Directory.Delete(work, recursive: true);
        var valid = invocations == messages.Count && !outcomes.ContainsKey(ProcessResult.Malformed);
        return valid ? 0 : 2;
    }

    private static async Task WaitForPortAsync(int port, ChildProcess server)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException("Azurite exited before it listened; see its log.");
            }

            try
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException($"Azurite did not listen on {port} within 60 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WebhookProcessor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository (WebhookProcessor.sln); pass --repo.");
    }
}
