using System.Diagnostics;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Reconciliation;
using WebhookProcessor.Telemetry;

namespace WebhookProcessor.IntegrationTests.Telemetry;

/// <summary>Reconciliation against a loopback Graph API: drift counted by kind (not a bootstrap's first fill), one span per account.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class ReconciliationTelemetryTests : IAsyncLifetime
{
    private const string Waba = "109876543210987";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly FakeGraphApi _graph = new();
    private readonly TelemetryCapture _capture = new();
    private InProcessService _service = null!;

    public async Task InitializeAsync()
    {
        await _graph.InitializeAsync();
        _service = await InProcessService.StartAsync(
            TelemetryCapture.Settings(new Dictionary<string, string?>
            {
                ["Meta:GraphApi:AccessToken"] = "EAAGtelemetry-token-0123456789",
                ["Meta:GraphApi:BaseUrl"] = _graph.BaseAddress.ToString(),
                ["Reconciliation:Enabled"] = "false",
            }),
            overrides: _capture.Register);
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _graph.DisposeAsync();
    }

    [Fact]
    public async Task Drift_BootstrapThenAPauseAndANewTemplate_CountsOnlyTheDifferencesByKind()
    {
        var before = _capture.Flush(_service.Services);
        _graph.ServePages(Waba, [Template(9101), Template(9102)]);
        await RunAsync();
        var afterBootstrap = _capture.Flush(_service.Services);
        _graph.ServePages(Waba, [Template(9101, status: "PAUSED"), Template(9102), Template(9103)]);

        await RunAsync();

        var after = _capture.Flush(_service.Services);
        Assert.Equal(0, afterBootstrap.Sum("webhookprocessor.reconciliation.drift") - before.Sum("webhookprocessor.reconciliation.drift"));
        // 9101's pause is one status difference; 9103 is discovered and, as a webhook missed for it
        // would have, brings its status: a second one.
        Assert.Equal(
            (2d, 1d, 3d),
            (after.Sum("webhookprocessor.reconciliation.drift", ("kind", "status")) - afterBootstrap.Sum("webhookprocessor.reconciliation.drift", ("kind", "status")),
                after.Sum("webhookprocessor.reconciliation.drift", ("kind", "discovered")) - afterBootstrap.Sum("webhookprocessor.reconciliation.drift", ("kind", "discovered")),
                after.Sum("webhookprocessor.reconciliation.drift") - afterBootstrap.Sum("webhookprocessor.reconciliation.drift")));
        var runs = _capture.Spans.Where(s => s.OperationName == AccountReconciler.Span).ToList();
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal(Waba, r.GetTagItem(TelemetryTags.WabaId)));
        Assert.All(runs, r => Assert.Equal(ActivityKind.Internal, r.Kind));
    }

    private async Task RunAsync()
    {
        var run = await _service.Client.ReconcileAsync(Waba, Wait);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
    }

    private static System.Text.Json.Nodes.JsonObject Template(long id, string status = "APPROVED") =>
        FakeGraphApi.Template(id, $"order_update_{id % 1000}", category: "UTILITY", correctCategory: "", status: status);
}
