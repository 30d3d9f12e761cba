using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using WebhookProcessor.Notifications;
using WebhookProcessor.Processing;
using WebhookProcessor.Telemetry;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.UnitTests.Infra;

/// <summary>
/// infra/workbook.json cannot be rendered here (no workspace), so its queries are checked against the
/// service as text: every metric, span and attribute they name must be one the service emits, read from
/// the source and the span constants, so a rename breaks this test and not an operator's dashboard.
/// </summary>
public sealed partial class WorkbookTests
{
    private const string Schema = "https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json";

    /// <summary>Polly's own instrument (meter "Polly"), which the service exports but does not define.</summary>
    private const string PollyEvents = "resilience.polly.strategy.events";

    /// <summary>The dimensions Polly puts on <see cref="PollyEvents"/>.</summary>
    private static readonly string[] PollyDimensions = ["event.name", "pipeline.name"];

    private static readonly string[] Visualizations = ["timechart", "barchart", "areachart", "linechart", "table", "tiles", "piechart"];

    // The three queries the README gives operators for Logs: the workbook's, with the picker's
    // "{TimeRange}" written out as the last day. Kept word for word with the workbook by the test below.
    private const string WebhooksPerMinute = """
        customMetrics
        | where timestamp > ago(1d)
        | where name == "webhookprocessor.webhooks"
        | extend outcome = tostring(customDimensions["outcome"])
        | summarize webhooks = sum(valueSum) by outcome, bin(timestamp, 1m)
        | order by timestamp asc
        """;

    private const string ProcessingLagP95 = """
        dependencies
        | where timestamp > ago(1d)
        | where name == "catalog commit"
        | extend lagSeconds = todouble(customDimensions["webhookprocessor.processing.lag"])
        | where isnotnull(lagSeconds)
        | summarize p95 = percentile(lagSeconds, 95), p50 = percentile(lagSeconds, 50) by bin(timestamp, 5m)
        | order by timestamp asc
        """;

    private const string FailedAlerts = """
        dependencies
        | where timestamp > ago(1d)
        | where name == "deliver alert"
        | where tostring(customDimensions["webhookprocessor.alert.outcome"]) == "failed"
        | project timestamp,
            alertId = tostring(customDimensions["webhookprocessor.alert.id"]),
            alertKind = tostring(customDimensions["webhookprocessor.alert.kind"]),
            channel = tostring(customDimensions["webhookprocessor.alert.channel"]),
            attempt = toint(customDimensions["webhookprocessor.alert.attempt"]),
            errorType = tostring(customDimensions["error.type"]),
            eventId = tostring(customDimensions["webhookprocessor.event.id"]),
            templateId = tostring(customDimensions["whatsapp.template.id"]),
            businessAccountId = tostring(customDimensions["whatsapp.business_account.id"]),
            operation_Id
        | order by timestamp desc
        """;

    [Fact]
    public void WorkbookJson_AsWritten_HasTheWorkbookShapeAndFollowsTheTimePicker()
    {
        var workbook = RepositoryFiles.Json("infra", "workbook.json");

        Assert.Equal("Notebook/1.0", workbook.GetProperty("version").GetString());
        Assert.Equal(Schema, workbook.GetProperty("$schema").GetString());
        var items = workbook.GetProperty("items").EnumerateArray().ToList();
        var names = items.Select(i => i.GetProperty("name").GetString()).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());

        var parameters = items.Single(i => i.GetProperty("type").GetInt32() == 9).GetProperty("content");
        Assert.Equal("KqlParameterItem/1.0", parameters.GetProperty("version").GetString());
        var timeRange = parameters.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "TimeRange");
        Assert.Equal(4, timeRange.GetProperty("type").GetInt32());
        Assert.True(timeRange.GetProperty("isRequired").GetBoolean());

        var queries = QueryItems(workbook).ToList();
        Assert.True(queries.Count >= 15, $"The workbook has only {queries.Count} queries.");
        Assert.All(queries, q =>
        {
            var content = q.Content;
            Assert.Equal("KqlItem/1.0", content.GetProperty("version").GetString());
            Assert.Equal(0, content.GetProperty("queryType").GetInt32());
            Assert.Equal("microsoft.insights/components", content.GetProperty("resourceType").GetString());
            Assert.Contains(content.GetProperty("visualization").GetString(), Visualizations);
            Assert.Equal("TimeRange", content.GetProperty("timeContextFromParameter").GetString());
            Assert.False(string.IsNullOrWhiteSpace(content.GetProperty("title").GetString()), $"Query '{q.Name}' has no title.");
            Assert.Contains("| where timestamp {TimeRange}\n", q.Query, StringComparison.Ordinal);
            Assert.Matches(@"^(customMetrics|dependencies|requests)\n", q.Query);
        });
    }

    [Fact]
    public void WorkbookQueries_MetricNames_AreInstrumentsTheServiceDefines()
    {
        var defined = ServiceMetricNames();
        var used = QueryItems(RepositoryFiles.Json("infra", "workbook.json"))
            .Where(q => q.Query.StartsWith("customMetrics", StringComparison.Ordinal))
            .SelectMany(q => ComparedNames(q.Query).Select(name => (q.Name, Metric: name)))
            .ToList();

        Assert.True(defined.Count >= 15, $"Found only {defined.Count} instrument names in WebhookMetrics.cs; the scan is probably broken.");
        var unknown = used.Where(u => !defined.Contains(u.Metric) && u.Metric != PollyEvents).Select(u => $"{u.Name}: {u.Metric}").ToList();
        Assert.True(unknown.Count == 0, "The workbook queries metrics the service does not define:\n" + string.Join("\n", unknown));
        // The panels the issue asks for, each by the instrument that feeds it.
        Assert.Superset(
            new HashSet<string>(StringComparer.Ordinal)
            {
                "webhookprocessor.webhooks", "webhookprocessor.events", "webhookprocessor.processing.lag", "webhookprocessor.queue.depth",
                "webhookprocessor.queue.oldest_age", "webhookprocessor.dead_letters", "webhookprocessor.dead_letters.stored",
                "webhookprocessor.alerts", "webhookprocessor.circuit_breaker.state", "webhookprocessor.pending_change.next",
                "webhookprocessor.reconciliation.drift", PollyEvents,
            },
            used.Select(u => u.Metric).ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public void WorkbookQueries_SpanNames_AreSpansTheServiceStarts()
    {
        string[] spans = [WebhookIntake.EnqueueSpan, TemplateEventProcessor.ProcessSpan, TemplateEventProcessor.CommitSpan, AlertDispatcher.DeliverySpan];
        var used = QueryItems(RepositoryFiles.Json("infra", "workbook.json"))
            .Where(q => q.Query.StartsWith("dependencies", StringComparison.Ordinal))
            .SelectMany(q => ComparedNames(q.Query).Select(name => (q.Name, Span: name)))
            .ToList();

        var unknown = used.Where(u => !spans.Contains(u.Span)).Select(u => $"{u.Name}: {u.Span}").ToList();
        Assert.True(unknown.Count == 0, "The workbook queries spans the service does not start:\n" + string.Join("\n", unknown));
        Assert.Contains(TemplateEventProcessor.CommitSpan, used.Select(u => u.Span));
        Assert.Contains(AlertDispatcher.DeliverySpan, used.Select(u => u.Span));
    }

    [Fact]
    public void WorkbookQueries_Dimensions_AreAttributesTheServiceSets()
    {
        // Span attributes and metric dimensions are TelemetryTags constants (Polly names its own).
        var known = typeof(TelemetryTags).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Concat(PollyDimensions)
            .ToHashSet(StringComparer.Ordinal);

        var used = QueryItems(RepositoryFiles.Json("infra", "workbook.json"))
            .SelectMany(q => Dimension().Matches(q.Query).Select(m => (q.Name, Key: m.Groups["key"].Value)))
            .ToList();

        Assert.True(used.Count >= 20, $"Found only {used.Count} customDimensions lookups; the scan is probably broken.");
        var unknown = used.Where(u => !known.Contains(u.Key)).Select(u => $"{u.Name}: {u.Key}").Distinct().ToList();
        Assert.True(unknown.Count == 0, "The workbook reads dimensions the service never sets:\n" + string.Join("\n", unknown));
    }

    [Fact]
    public void Unknown_QueryNamingARenamedMetric_IsReported()
    {
        // The checks above are only as good as the name scan: prove it sees both forms of comparison.
        var query = "customMetrics\n| where name in (\"webhookprocessor.webhooks\", \"webhookprocessor.renamed\")\n| where name == \"webhookprocessor.gone\"";

        var names = ComparedNames(query);

        Assert.Equal(["webhookprocessor.webhooks", "webhookprocessor.renamed", "webhookprocessor.gone"], names);
        Assert.Equal(["webhookprocessor.renamed", "webhookprocessor.gone"], names.Where(n => !ServiceMetricNames().Contains(n)));
    }

    [Theory]
    [InlineData("webhooks-per-minute", WebhooksPerMinute)]
    [InlineData("processing-lag-p95", ProcessingLagP95)]
    [InlineData("alerts-failed", FailedAlerts)]
    public void OperatorQuery_ForLogs_IsTheWorkbooksWithTheLastDay(string item, string logsQuery)
    {
        var query = QueryItems(RepositoryFiles.Json("infra", "workbook.json")).Single(q => q.Name == item).Query;

        Assert.Equal(logsQuery.ReplaceLineEndings("\n"), query.Replace("{TimeRange}", "> ago(1d)", StringComparison.Ordinal));
    }

    [Fact]
    public void Bicep_Workbook_LoadsTheJsonOntoApplicationInsightsWhenAskedTo()
    {
        var bicep = RepositoryFiles.Bicep();

        Assert.Contains("param deployWorkbook bool = true", bicep, StringComparison.Ordinal);
        Assert.Contains("resource workbook 'Microsoft.Insights/workbooks@", bicep, StringComparison.Ordinal);
        Assert.Contains("= if (deployWorkbook) {", bicep, StringComparison.Ordinal);
        Assert.Equal("shared", RepositoryFiles.BicepProperty("workbook", "kind"));
        Assert.Equal("workbook", RepositoryFiles.BicepProperty("workbook", "category"));
        Assert.Equal("loadTextContent('workbook.json')", RepositoryFiles.BicepProperty("workbook", "serializedData"));
        Assert.Equal("toLower(appInsights.id)", RepositoryFiles.BicepProperty("workbook", "sourceId"));
        Assert.StartsWith("guid(", RepositoryFiles.BicepProperty("workbook", "name"), StringComparison.Ordinal);
    }

    /// <summary>The instrument names in WebhookMetrics.cs: its only <c>"webhookprocessor.…"</c> literals.</summary>
    private static HashSet<string> ServiceMetricNames() =>
        InstrumentName().Matches(File.ReadAllText(RepositoryFiles.Path("src", "WebhookProcessor", "Telemetry", "WebhookMetrics.cs")))
            .Select(m => m.Groups[1].Value)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The names a query compares <c>name</c> with, by <c>==</c> or <c>in (…)</c>.</summary>
    private static List<string> ComparedNames(string query) =>
        NameFilter().Matches(query)
            .SelectMany(m => m.Groups["single"].Success
                ? [m.Groups["single"].Value]
                : Quoted().Matches(m.Groups["list"].Value).Select(q => q.Groups[1].Value))
            .ToList();

    private static IEnumerable<(string Name, string Query, JsonElement Content)> QueryItems(JsonElement workbook) =>
        workbook.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("type").GetInt32() == 3)
            .Select(i => (i.GetProperty("name").GetString()!, i.GetProperty("content").GetProperty("query").GetString()!, i.GetProperty("content")));

    [GeneratedRegex("\"(webhookprocessor\\.[a-z0-9_.]+)\"")]
    private static partial Regex InstrumentName();

    [GeneratedRegex("""\bname (?:== "(?<single>[^"]+)"|in \((?<list>[^)]*)\))""")]
    private static partial Regex NameFilter();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex Quoted();

    [GeneratedRegex("""customDimensions\["(?<key>[^"]+)"\]""")]
    private static partial Regex Dimension();
}
