using Microsoft.Extensions.DependencyInjection;
using WebhookProcessor.IntegrationTests.Functions;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.IntegrationTests.Reconciliation;

/// <summary>The real app on loopback for reconciliation tests, with the per-account reconciler scripted (a seam).</summary>
internal static class ReconciliationHost
{
    public const string Token = "test-graph-api-token-not-a-real-one";

    /// <param name="functions">In Functions mode (timer routes mapped, no embedded loop).</param>
    public static Task<InProcessService> StartAsync(ScriptedAccountReconciler reconciler, Dictionary<string, string?>? settings = null, bool token = true, bool functions = false, string? dataFolder = null)
    {
        var values = new Dictionary<string, string?>
        {
            // The embedded loop stays out of the way of tests that start runs themselves.
            ["Reconciliation:Enabled"] = "false",
        };
        if (token)
        {
            values["Meta:GraphApi:AccessToken"] = Token;
        }

        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        return functions
            ? ProcessTemplateEventTests.StartAsync(values, services => Override(services, reconciler))
            : InProcessService.StartAsync(values, dataFolder, services => Override(services, reconciler));
    }

    /// <summary>Only the reconciler is replaced: the reconciliation store is the app's own (SQLite, in the catalog's file).</summary>
    public static void Override(IServiceCollection services, IAccountReconciler reconciler) => services.AddSingleton(reconciler);

    public static IReconciliationStore Store(this InProcessService service) => service.Services.GetRequiredService<IReconciliationStore>();

    public static ReconciliationCoordinator Coordinator(this InProcessService service) => service.Services.GetRequiredService<ReconciliationCoordinator>();

    /// <summary>Makes <paramref name="wabaId"/> look reconciled successfully at <paramref name="at"/>, through the store's own contract.</summary>
    public static async Task MarkSucceededAsync(this IReconciliationStore store, string wabaId, DateTimeOffset at)
    {
        var runId = ReconciliationRunIds.New(at);
        Assert.Null(await store.TryClaimAccountAsync(wabaId, runId, at, TimeSpan.FromMinutes(30)));
        await store.ReleaseAccountAsync(wabaId, runId, at);
    }

    /// <summary>Claims <paramref name="wabaId"/> for a run that is not the test's, for an hour; returns that run's id.</summary>
    public static async Task<string> HoldAsync(this IReconciliationStore store, string wabaId)
    {
        var runId = ReconciliationRunIds.New(TimeProvider.System.GetUtcNow());
        Assert.Null(await store.TryClaimAccountAsync(wabaId, runId, TimeProvider.System.GetUtcNow(), TimeSpan.FromHours(1)));
        return runId;
    }
}
