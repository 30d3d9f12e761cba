using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using FromServicesAttribute = Microsoft.AspNetCore.Mvc.FromServicesAttribute;
using Microsoft.Extensions.Options;
using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;
using WebhookProcessor.Queue;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.Ops;

/// <summary>The ops API: event history, the template catalog, dead letters and health.</summary>
public static partial class OpsEndpoints
{
    public const string HealthRoute = "/healthz";

    /// <summary>Longer ids are refused before any store is asked: none of the stores makes ids this long.</summary>
    internal const int MaxDeadLetterIdLength = 256;

    /// <summary>A dependency's state in <see cref="HealthDto.Dependencies"/> when it answers.</summary>
    public const string DependencyOk = "ok";

    /// <summary><see cref="HealthDto.Reconciliation"/> when a Graph API token is set (runs are not scheduled yet).</summary>
    public const string ReconciliationConfigured = "configured";

    /// <summary><see cref="HealthDto.Reconciliation"/> without a token: off, naming the setting that turns it on.</summary>
    public const string ReconciliationOff = "off: Meta:GraphApi:AccessToken is not set";

    public static IEndpointRouteBuilder MapOpsEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter<ApiKeyFilter>().DescribeApiKey().WithTags("History and catalog");
        api.MapGet("/events", ListEventsAsync).WithSummary("Event history, newest first, filtered and paged");
        api.MapGet("/events/{eventId}/raw", GetEventRawAsync).WithSummary("One event's raw change, exactly as received")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/templates", ListTemplatesAsync).WithSummary("The template catalog, filtered and paged");
        api.MapGet("/templates/{templateId}", GetTemplateAsync).WithSummary("One template's current state, owner and pending change").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/dead-letters", ListDeadLettersAsync).WithSummary("Dead letters, paged");
        api.MapGet("/dead-letters/{id}/body", GetDeadLetterBodyAsync).WithSummary("One dead letter's stored bytes, unchanged")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/dead-letters/{id}/replay", ReplayDeadLetterAsync).WithSummary("Put a dead letter's change back on the queue")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        app.MapGet(HealthRoute, HealthAsync).WithTags("Health").WithSummary("Whether the service is up, and how far behind it is (no key)")
            .Produces<HealthDto>(StatusCodes.Status503ServiceUnavailable);
        // The same check where a Functions HTTP trigger forwards it (routes there sit under /api).
        app.MapGet("/api" + HealthRoute, HealthAsync).WithTags("Health").WithSummary("The health check where the Functions host forwards it (no key)")
            .Produces<HealthDto>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    internal static async Task<Results<Ok<PageDto<EventDto>>, ValidationProblem>> ListEventsAsync(
        HttpRequest request, ITemplateStore store, IOptions<OpsOptions> ops, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var q = new QueryReader(request.Query);
        var query = q.EventQuery();
        var includeRaw = q.Boolean("includeRaw") ?? false;
        if (q.Errors.Count > 0)
        {
            return Invalid(q);
        }

        try
        {
            var page = await store.QueryEventsAsync(query, cancellationToken);
            // Raw changes are read one at a time, only when asked for, and only while the page has room.
            return TypedResults.Ok(await PageBudget.TakeAsync(
                page,
                async (stored, ct) => EventDto.From(stored, includeRaw ? await store.GetEventRawAsync(stored.Event.EventId, ct) : null),
                ops.Value.MaxPageBytes,
                json.Value.SerializerOptions,
                cancellationToken));
        }
        catch (FormatException ex)
        {
            return BadCursor(ex);
        }
    }

    internal static async Task<Results<Ok<PageDto<TemplateDto>>, ValidationProblem>> ListTemplatesAsync(
        HttpRequest request, ITemplateStore store, INotificationStore notifications, IOptions<ReconciliationOptions> reconciliation, TimeProvider clock, CancellationToken cancellationToken)
    {
        var q = new QueryReader(request.Query);
        var query = new TemplateQuery(
            WabaId: q.Text("wabaId"),
            Status: q.Upper("status"),
            Category: q.Upper("category"),
            PendingChange: q.Boolean("pendingChange"),
            Limit: q.Limit(),
            Cursor: q.Cursor(),
            NameContains: q.Text("name"),
            Quality: q.Upper("quality"));
        if (q.Errors.Count > 0)
        {
            return Invalid(q);
        }

        try
        {
            var page = await store.QueryTemplatesAsync(query, cancellationToken);
            var owners = await notifications.ListOwnersAsync(cancellationToken);
            var overdue = Overdue(reconciliation, clock);
            return TypedResults.Ok(new PageDto<TemplateDto>(page.Items.Select(t => TemplateDto.From(t, owners, overdue)).ToList(), page.NextCursor));
        }
        catch (FormatException ex)
        {
            return BadCursor(ex);
        }
    }

    internal static async Task<Results<Ok<TemplateDto>, ValidationProblem, ProblemHttpResult>> GetTemplateAsync(
        string templateId, ITemplateStore store, INotificationStore notifications, IOptions<ReconciliationOptions> reconciliation, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!long.TryParse(templateId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["templateId"] = ["templateId must be a positive whole number such as 1689556908129832."] },
                title: "Invalid template id");
        }

        var template = await store.GetTemplateAsync(id, cancellationToken);
        return template is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Template not found",
                detail: $"No webhook about template {id} has been processed yet.")
            : TypedResults.Ok(TemplateDto.From(template, await notifications.ListOwnersAsync(cancellationToken), Overdue(reconciliation, clock)));
    }

    private static Func<PendingCategoryChange, bool> Overdue(IOptions<ReconciliationOptions> reconciliation, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var grace = reconciliation.Value.OverdueGrace;
        return pending => PendingChanges.IsOverdue(pending, now, grace);
    }

    internal static async Task<Results<Ok<PageDto<DeadLetterDto>>, ValidationProblem>> ListDeadLettersAsync(
        HttpRequest request, IQueueMonitor monitor, IOptions<OpsOptions> ops, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var q = new QueryReader(request.Query);
        var limit = q.Limit();
        var includeRaw = q.Boolean("includeRaw") ?? false;
        if (q.Errors.Count > 0)
        {
            return Invalid(q);
        }

        try
        {
            var page = await monitor.ListDeadLettersAsync(limit, q.Cursor(), cancellationToken);
            return TypedResults.Ok(await PageBudget.TakeAsync(
                page,
                async (summary, ct) => DeadLetterDto.From(summary, includeRaw ? (await monitor.GetDeadLetterAsync(summary.Id, ct))?.DeadLetter.Body : null),
                ops.Value.MaxPageBytes,
                json.Value.SerializerOptions,
                cancellationToken));
        }
        catch (FormatException ex)
        {
            return BadCursor(ex);
        }
    }

    /// <summary>
    /// One dead letter's stored bytes, unchanged: JSON as <c>application/json</c>, other UTF-8 text as
    /// <c>text/plain</c>, anything else as <c>application/octet-stream</c>.
    /// </summary>
    internal static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> GetDeadLetterBodyAsync(string id, IQueueMonitor monitor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxDeadLetterIdLength)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["id"] = [$"id must be a dead letter's id as listed by GET /api/dead-letters (at most {MaxDeadLetterIdLength} characters)."] },
                title: "Invalid dead letter id");
        }

        if (await monitor.GetDeadLetterAsync(id, cancellationToken) is not { } stored)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Dead letter not found",
                detail: "There is no dead letter with this id. GET /api/dead-letters lists them.");
        }

        var body = stored.DeadLetter.Body;
        return TypedResults.File(body, ContentTypeOf(body));
    }

    /// <summary>
    /// Puts one dead letter's change back on the queue, then removes the dead letter. Its event id keeps
    /// the replay exactly-once: a change already in history changes nothing when it is processed again.
    /// </summary>
    internal static async Task<Results<Ok<ReplayDto>, ValidationProblem, ProblemHttpResult>> ReplayDeadLetterAsync(string id, IDeadLetterReplayer replayer, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxDeadLetterIdLength)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["id"] = [$"id must be a dead letter's id as listed by GET /api/dead-letters (at most {MaxDeadLetterIdLength} characters)."] },
                title: "Invalid dead letter id");
        }

        var result = await replayer.ReplayAsync(id, cancellationToken);
        if (!result.Found)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Dead letter not found",
                detail: "There is no dead letter with this id. GET /api/dead-letters lists them.");
        }

        if (result.Refusal is { } why)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Dead letter cannot be replayed", detail: why);
        }

        return TypedResults.Ok(new ReplayDto(id, result.EventId!, result.Removed));
    }

    /// <summary>One event's raw change, exactly as received, as <c>application/json</c>.</summary>
    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetEventRawAsync(string eventId, ITemplateStore store, CancellationToken cancellationToken) =>
        await store.GetEventRawAsync(eventId, cancellationToken) is { } raw
            ? TypedResults.File(Encoding.UTF8.GetBytes(raw), "application/json; charset=utf-8")
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Event not found",
                detail: $"There is no event '{eventId}' in history (it may have been pruned). GET /api/events lists them.");

    private static string ContentTypeOf(byte[] body)
    {
        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            return "application/octet-stream";
        }

        // Read through once without building a document: a body can be megabytes.
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            while (reader.Read())
            {
            }

            return reader.BytesConsumed > 0 ? "application/json; charset=utf-8" : "text/plain; charset=utf-8";
        }
        catch (JsonException)
        {
            return "text/plain; charset=utf-8";
        }
    }

    /// <summary>No key needed and no secrets shown: whether the service is up, and how far behind it is.</summary>
    internal static async Task<Results<Ok<HealthDto>, JsonHttpResult<HealthDto>>> HealthAsync(
        IQueueMonitor monitor,
        INotificationStore notifications,
        ITemplateStore catalog,
        [FromServices] IEnumerable<IDependencyCheck> checks,
        IOptions<GraphApiOptions> graphApi,
        IOptions<ReconciliationOptions> reconciliationOptions,
        IReconciliationStore reconciliationStore,
        TimeProvider clock,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        // From the settings alone, so it shows even when the stores cannot be read.
        var reconciliation = graphApi.Value.IsConfigured ? ReconciliationConfigured : ReconciliationOff;
        try
        {
            var dependencies = await CheckDependenciesAsync(checks, cancellationToken);
            var stats = await monitor.GetStatsAsync(cancellationToken);
            var age = stats.OldestAgeSeconds(clock.GetUtcNow()) is { } seconds ? Math.Round(seconds, 3) : (double?)null;
            var alerts = await notifications.GetStatsAsync(cancellationToken);
            var accounts = (await reconciliationStore.ListAccountsAsync(cancellationToken))
                .Select(a => new ReconciledAccountDto(a.WabaId, a.LastSucceededAt?.UtcDateTime)).ToList();
            var overdue = (await PendingChanges.ListOverdueAsync(catalog, null, clock.GetUtcNow(), reconciliationOptions.Value.OverdueGrace, cancellationToken)).Count;
            var health = new HealthDto("up", stats.Depth, age, stats.DeadLetterCount, alerts.Pending, alerts.Failed, alerts.Unrouted, null, dependencies, reconciliation, accounts, overdue);
            if (dependencies?.Values.FirstOrDefault(v => v != DependencyOk) is { } failure)
            {
                return TypedResults.Json(health with { Status = "down", Error = failure }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            return TypedResults.Ok(health);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.HealthCheckFailed(loggers.CreateLogger(typeof(OpsEndpoints)), ex);
            return TypedResults.Json(new HealthDto("down", null, null, null, null, null, null, "The queue, catalog, notification or reconciliation store cannot be read; see the service log.", Reconciliation: reconciliation),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>Each dependency's state, checked one after another (there is one today); null when there is none.</summary>
    private static async Task<IReadOnlyDictionary<string, string>?> CheckDependenciesAsync(IEnumerable<IDependencyCheck> checks, CancellationToken cancellationToken)
    {
        Dictionary<string, string>? states = null;
        foreach (var check in checks)
        {
            states ??= new Dictionary<string, string>(StringComparer.Ordinal);
            states[check.Name] = await check.CheckAsync(cancellationToken) ?? DependencyOk;
        }

        return states;
    }

    internal static ValidationProblem Invalid(QueryReader q) =>
        TypedResults.ValidationProblem(q.Errors, title: "Invalid query parameters", detail: string.Join(" ", q.Errors.Values.SelectMany(v => v)));

    internal static ValidationProblem BadCursor(FormatException ex) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { ["cursor"] = [$"{ex.Message} Use the nextCursor value of a previous page, unchanged."] },
            title: "Invalid cursor");

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Health check could not read the queue, catalog, notification or reconciliation store")]
        public static partial void HealthCheckFailed(ILogger logger, Exception exception);
    }
}
