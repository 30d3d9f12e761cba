using System.Globalization;
using Microsoft.Extensions.Options;
using WebhookProcessor.Hosting;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.Tools;

/// <summary>
/// <c>WebhookProcessor reconcile [--waba ID]</c>: one reconciliation run, awaited, against the store the
/// configuration names (the same settings as the service: appsettings, environment variables). The
/// app's services are built but the host is not started: no web server (the webhook port stays free for
/// a running service), no background loops. A running service sharing the store is safe: accounts are
/// claimed in the store. Exit code 0 when every account succeeded, 1 when any failed or was skipped,
/// 2 for a usage or configuration error (no Graph API token among them).
/// </summary>
public static class ReconcileCommand
{
    public const string Name = "reconcile";

    public const string Trigger = "cli";

    private const string Usage = """
        Usage: WebhookProcessor reconcile [--waba ID]

        Reconciles the catalog with Meta's Graph API now, against the configured store, and prints each account's result.
          --waba   one WhatsApp Business Account id; without it, every account in Meta:Accounts, the catalog and earlier runs
        Needs Meta:GraphApi:AccessToken. Exit code: 0 all accounts succeeded, 1 some failed or were skipped, 2 usage or configuration error.
        """;

    /// <param name="configure">Adds to the app's configuration and services before it is built (tests).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        output ??= Console.Out;
        string? wabaId = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "-h" or "--help")
            {
                await output.WriteLineAsync(Usage);
                return 0;
            }

            if (args[i] != "--waba" || i + 1 >= args.Length || wabaId is not null)
            {
                await output.WriteLineAsync($"Unexpected argument '{args[i]}'.\n\n{Usage}");
                return 2;
            }

            wabaId = args[++i];
            if (!GraphIds.IsId(wabaId))
            {
                await output.WriteLineAsync($"--waba must be a WhatsApp Business Account id (digits only), not '{wabaId}'.");
                return 2;
            }
        }

        WebApplication app;
        try
        {
            app = WebhookProcessorApp.Build([], configure);
            // What starting the host would check; the host itself is not started.
            app.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException ex)
        {
            return await InvalidAsync(output, ex.Failures);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            return await InvalidAsync(output, ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures));
        }

        await using (app)
        {
            if (!app.Services.GetRequiredService<IOptions<GraphApiOptions>>().Value.IsConfigured)
            {
                await output.WriteLineAsync(ReconciliationRefusedException.NotConfigured().Message);
                return 2;
            }

            ReconciliationRun run;
            try
            {
                run = await app.Services.GetRequiredService<ReconciliationCoordinator>().RunAsync(wabaId, Trigger, cancellationToken);
            }
            catch (ReconciliationRefusedException refused)
            {
                await output.WriteLineAsync(refused.Message);
                return refused.HeldByRunId is null ? 2 : 1;
            }

            foreach (var a in run.Accounts)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{a.WabaId} {a.Status.ToString().ToLowerInvariant()}{(a.Bootstrap ? " (bootstrap)" : "")}: {a.TemplatesSeen} seen, {a.Added} added, {a.Changed} changed, {a.PendingChangesFound} pending found, {a.Deleted} deleted, {a.OverduePendingChanges} overdue, {a.GraphCalls} Graph calls{(a.Error is null ? "" : " - " + a.Error)}"));
            }

            await output.WriteLineAsync($"Run {run.Id} {run.Status.ToString().ToLowerInvariant()} over {run.Accounts.Count} account(s).");
            return run.Status == ReconciliationStatus.Succeeded ? 0 : 1;
        }
    }

    private static async Task<int> InvalidAsync(TextWriter output, IEnumerable<string> failures)
    {
        await output.WriteLineAsync("The configuration is invalid:");
        foreach (var failure in failures)
        {
            await output.WriteLineAsync($"  - {failure}");
        }

        return 2;
    }
}
