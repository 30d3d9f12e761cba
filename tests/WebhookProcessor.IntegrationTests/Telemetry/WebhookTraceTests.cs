using System.Diagnostics;
using System.Globalization;
using System.Net;
using WebhookProcessor.Azure;
using WebhookProcessor.Functions;
using WebhookProcessor.IntegrationTests.Functions;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Notifications;
using WebhookProcessor.Processing;
using WebhookProcessor.Queue;
using WebhookProcessor.Telemetry;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.IntegrationTests.Telemetry;

/// <summary>
/// One webhook, one trace: the real service on a loopback port with the OpenTelemetry SDK and the
/// in-memory exporter, a Teams owner on a loopback endpoint, and the spans read back as exported.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class WebhookTraceTests : IAsyncLifetime
{
    private const string Waba = "109876543210987";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly FakeTeamsEndpoint _teams = new();

    public Task InitializeAsync() => _teams.InitializeAsync();

    public Task DisposeAsync() => _teams.DisposeAsync();

    [Fact]
    public async Task Trace_RejectionWebhook_CoversReceiptEnqueueProcessingCommitAndDeliveryInOneTrace()
    {
        var capture = new TelemetryCapture();
        await using var service = await StartAsync(capture);
        await AddTeamsOwnerAsync(service);

        using var response = await service.Client.PostWebhookAsync(Samples.StatusWebhook(7301, 1_751_000_000, statusEvent: "REJECTED", reason: "INCORRECT_CATEGORY"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _teams.WaitForRequestsAsync(1, Wait);
        var delivery = await capture.WaitForSpanAsync(s => s.OperationName == AlertDispatcher.DeliverySpan, "the delivery span");

        var trace = capture.Spans.Where(s => s.TraceId == delivery.TraceId).ToList();
        // The test's own client and the loopback Teams endpoint are instrumented too (same process), so
        // spans are told apart by their route and parents rather than by kind alone.
        var enqueue = Assert.Single(trace, s => s.OperationName == WebhookIntake.EnqueueSpan);
        var receipt = Assert.Single(trace, s => s.Kind == ActivityKind.Server && s.GetTagItem("http.route") as string == WebhookEndpoints.Route);
        var process = Assert.Single(trace, s => s.OperationName == TemplateEventProcessor.ProcessSpan);
        var commit = Assert.Single(trace, s => s.OperationName == TemplateEventProcessor.CommitSpan);
        var post = Assert.Single(trace, s => s.Kind == ActivityKind.Client && s.ParentSpanId == delivery.SpanId);
        Assert.Equal(
            (receipt.SpanId, enqueue.SpanId, process.SpanId, commit.SpanId, delivery.SpanId),
            (enqueue.ParentSpanId, process.ParentSpanId, commit.ParentSpanId, delivery.ParentSpanId, post.ParentSpanId));
        Assert.Equal((ActivityKind.Producer, ActivityKind.Consumer), (enqueue.Kind, process.Kind));
        Assert.InRange((double)commit.GetTagItem(TelemetryTags.ProcessingLag)!, 0, Wait.TotalSeconds);
        Assert.Equal("POST", receipt.GetTagItem("http.request.method"));
        Assert.Equal(WebhookOutcomes.Accepted, receipt.GetTagItem(TelemetryTags.WebhookOutcome));

        var eventId = (string)enqueue.GetTagItem(TelemetryTags.EventId)!;
        Assert.Equal(
            (Waba, "message_template_status_update", eventId, 7301L, "REJECTED", "status", "applied"),
            ((string?)process.GetTagItem(TelemetryTags.WabaId), (string?)process.GetTagItem(TelemetryTags.Field), (string?)process.GetTagItem(TelemetryTags.EventId),
                (long?)process.GetTagItem(TelemetryTags.TemplateId), (string?)process.GetTagItem(TelemetryTags.TemplateEvent),
                (string?)process.GetTagItem(TelemetryTags.EventKind), (string?)process.GetTagItem(TelemetryTags.EventResult)));
        Assert.Equal(
            ("teams", 1, AlertOutcomes.Sent, eventId, 7301L),
            ((string?)delivery.GetTagItem(TelemetryTags.AlertChannel), (int?)delivery.GetTagItem(TelemetryTags.AlertAttempt),
                (string?)delivery.GetTagItem(TelemetryTags.AlertOutcome), (string?)delivery.GetTagItem(TelemetryTags.EventId), (long?)delivery.GetTagItem(TelemetryTags.TemplateId)));
        Assert.Equal($"http://127.0.0.1:{_teams.BaseAddress.Port.ToString(CultureInfo.InvariantCulture)}/", post.GetTagItem("url.full"));
    }

    [Fact]
    public async Task Trace_ServiceRestartsBetweenIntakeAndProcessing_ProcessingAndDeliveryJoinTheWebhooksTrace()
    {
        var before = new TelemetryCapture();
        var first = await StartAsync(before, new() { ["Queue:WorkerEnabled"] = "false" });
        string folder = first.DataFolder;
        await AddTeamsOwnerAsync(first);
        using (var response = await first.Client.PostWebhookAsync(Samples.StatusWebhook(7302, 1_751_000_100, statusEvent: "REJECTED", reason: "INVALID_FORMAT")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var enqueue = await before.WaitForSpanAsync(s => s.OperationName == WebhookIntake.EnqueueSpan, "the enqueue span");
        Assert.DoesNotContain(before.Spans, s => s.OperationName == TemplateEventProcessor.ProcessSpan);
        await first.StopAsync();

        var after = new TelemetryCapture();
        await using var second = await StartAsync(after, dataFolder: folder);
        await _teams.WaitForRequestsAsync(1, Wait);
        var delivery = await after.WaitForSpanAsync(s => s.OperationName == AlertDispatcher.DeliverySpan, "the delivery span after the restart");

        var process = Assert.Single(after.Spans, s => s.OperationName == TemplateEventProcessor.ProcessSpan);
        var commit = Assert.Single(after.Spans, s => s.OperationName == TemplateEventProcessor.CommitSpan);
        Assert.Equal((enqueue.TraceId, enqueue.TraceId, enqueue.TraceId), (process.TraceId, commit.TraceId, delivery.TraceId));
        Assert.Equal((enqueue.SpanId, process.SpanId, commit.SpanId), (process.ParentSpanId, commit.ParentSpanId, delivery.ParentSpanId));
    }

    [Fact]
    public async Task Trace_FunctionsTriggerWithTraceparentProperty_ProcessingContinuesTheSendersTrace()
    {
        var capture = new TelemetryCapture();
        await using var service = await ProcessTemplateEventTests.StartAsync(TelemetryCapture.Settings(), capture.Register);
        var sender = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var traceParent = $"00-{sender.TraceId}-{sender.SpanId}-01";
        var eventId = $"evt-trace-{Guid.NewGuid():N}";
        var message = ServiceBusEventQueue.ToMessage(new ChangeMessage(
            eventId, Invocations.Waba, "message_template_status_update", 1_751_000_200, DateTimeOffset.FromUnixTimeSeconds(1_751_000_201),
            Invocations.StatusChange(7303), traceParent));
        Assert.Equal((traceParent, traceParent), (message.ApplicationProperties[ServiceBusTrace.TraceParentProperty], message.ApplicationProperties[ServiceBusTrace.DiagnosticIdProperty]));

        using var response = await service.Client.Http.PostAsync("/" + ProcessTemplateEventFunction.Name, Invocations.Content(Invocations.ServiceBus(message)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var process = await capture.WaitForSpanAsync(s => s.OperationName == TemplateEventProcessor.ProcessSpan, "the process span");
        Assert.Equal((sender.TraceId, sender.SpanId, eventId), (process.TraceId, process.ParentSpanId, (string?)process.GetTagItem(TelemetryTags.EventId)));
        // The Functions host records its own request: no second server span, and processing is no second consumer.
        Assert.Equal(ActivityKind.Internal, process.Kind);
        Assert.DoesNotContain(capture.Spans, s => s.Kind is ActivityKind.Server or ActivityKind.Consumer);
    }

    [Fact]
    public async Task Trace_FunctionsForwardsWebhookWithHostsTraceparent_EnqueueJoinsTheHostsTraceWithoutASecondRequest()
    {
        var capture = new TelemetryCapture();
        await using var service = await ProcessTemplateEventTests.StartAsync(TelemetryCapture.Settings(), capture.Register);

        // The test's HttpClient is instrumented too: it sends its own span's traceparent, as the host does.
        using var response = await service.Client.PostWebhookAsync(Samples.StatusWebhook(7304, 1_751_000_300));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var enqueue = await capture.WaitForSpanAsync(s => s.OperationName == WebhookIntake.EnqueueSpan, "the enqueue span");
        var caller = await capture.WaitForSpanAsync(s => s.Kind == ActivityKind.Client && s.SpanId == enqueue.ParentSpanId, "the caller's span as the enqueue's parent");
        Assert.Equal(caller.TraceId, enqueue.TraceId);
        Assert.DoesNotContain(capture.Spans, s => s.Kind == ActivityKind.Server);
    }

    private static Task<InProcessService> StartAsync(TelemetryCapture capture, Dictionary<string, string?>? settings = null, string? dataFolder = null) =>
        InProcessService.StartAsync(
            TelemetryCapture.Settings(new Dictionary<string, string?>(settings ?? [])
            {
                ["Notifications:AllowInsecureWebhookUrls"] = "true",
                ["Notifications:Delivery:PollInterval"] = "00:00:00.100",
            }),
            dataFolder,
            capture.Register);

    private async Task AddTeamsOwnerAsync(InProcessService service)
    {
        using var response = await service.Client.SendOpsAsync(HttpMethod.Put, "/api/owners/ops", Samples.TeamsOnlyOwner("Ops", _teams.Url(), "en"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
