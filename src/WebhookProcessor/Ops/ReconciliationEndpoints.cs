using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using FromServicesAttribute = Microsoft.AspNetCore.Mvc.FromServicesAttribute;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.Ops;

/// <summary>Ops API for reconciliation runs (behind the same API key as the rest of /api).</summary>
public static class ReconciliationEndpoints
{
    public const string Route = "/api/reconciliations";

    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>The body is one optional id; anything much longer is not that.</summary>
    internal const int MaxBodyBytes = 4096;

    public static IEndpointRouteBuilder MapReconciliationEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter<ApiKeyFilter>().DescribeApiKey().WithTags("Reconciliation");
        api.MapPost("/reconciliations", StartAsync).WithSummary("Start a reconciliation run against the Graph API")
            .Accepts<ReconciliationRequest>(isOptional: true, "application/json").ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/reconciliations", ListAsync).WithSummary("Reconciliation runs, newest first");
        api.MapGet("/reconciliations/{id}", GetAsync).WithSummary("One reconciliation run").ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>
    /// Starts a run over <c>{"wabaId": "…"}</c>, or every known account without a body, and answers 202
    /// at once with its id; the run goes on in the background. 409 when there is no Graph API token, or
    /// when the one account asked for is being reconciled by another run (named in the answer).
    /// </summary>
    internal static async Task<Results<Accepted<ReconciliationStartedDto>, ValidationProblem, ProblemHttpResult>> StartAsync(
        HttpRequest request, [FromServices] ReconciliationCoordinator coordinator, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var (wabaId, error) = await ReadRequestAsync(request, json.Value.SerializerOptions, cancellationToken);
        if (error is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["wabaId"] = [error] }, title: "Invalid reconciliation request", detail: error);
        }

        try
        {
            var run = await coordinator.StartAsync(wabaId, "api", cancellationToken);
            return TypedResults.Accepted($"{Route}/{run.Id}", new ReconciliationStartedDto(run.Id, "running"));
        }
        catch (ReconciliationRefusedException refused)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: refused.HeldByRunId is null ? "Reconciliation is not configured" : "The account is being reconciled",
                detail: refused.Message,
                extensions: refused.HeldByRunId is { } holder ? new Dictionary<string, object?> { ["runId"] = holder } : null);
        }
    }

    /// <summary>Runs newest first; <c>limit</c> from 1 to 100 (default 20).</summary>
    internal static async Task<Results<Ok<IReadOnlyList<ReconciliationRunDto>>, ValidationProblem>> ListAsync(
        HttpRequest request, [FromServices] IReconciliationStore store, CancellationToken cancellationToken)
    {
        var limit = DefaultLimit;
        if (request.Query["limit"] is { Count: > 0 } text && !string.IsNullOrWhiteSpace(text))
        {
            if (!int.TryParse(text.ToString().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit)
            {
                var message = $"limit must be a whole number from 1 to {MaxLimit}.";
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [message] }, title: "Invalid query parameters", detail: message);
            }
        }

        var runs = await store.ListRunsAsync(limit, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<ReconciliationRunDto>>(runs.Select(ReconciliationRunDto.From).ToList());
    }

    internal static async Task<Results<Ok<ReconciliationRunDto>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string id, [FromServices] IReconciliationStore store, CancellationToken cancellationToken)
    {
        if (!ReconciliationRunIds.IsWellFormed(id))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["id"] = ["id must be a run id as POST or GET /api/reconciliations gives it, such as 20250630T013909123Z-0a1b2c3d."] },
                title: "Invalid run id");
        }

        return await store.GetRunAsync(id, cancellationToken) is { } run
            ? TypedResults.Ok(ReconciliationRunDto.From(run))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Run not found",
                detail: $"There is no reconciliation run '{id}'. GET {Route} lists them.");
    }

    /// <summary>The optional body: nothing (every account) or <c>{"wabaId": "digits"}</c>. Returns the id, or why the body is refused.</summary>
    private static async Task<(string? WabaId, string? Error)> ReadRequestAsync(HttpRequest request, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                return (null, $"The body must be at most {MaxBodyBytes} bytes: {{\"wabaId\": \"<account id>\"}}, or nothing for every account.");
            }
        }

        if (buffer.Length == 0 || buffer.ToArray().All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            return (null, null);
        }

        ReconciliationRequest? body;
        try
        {
            body = JsonSerializer.Deserialize<ReconciliationRequest>(buffer.ToArray(), options);
        }
        catch (JsonException)
        {
            return (null, "The body must be JSON: {\"wabaId\": \"<account id>\"}, or nothing for every account.");
        }

        var wabaId = body?.WabaId;
        if (wabaId is null)
        {
            return (null, null);
        }

        return GraphIds.IsId(wabaId)
            ? (wabaId, null)
            : (null, "wabaId must be a WhatsApp Business Account id: digits only, at most 19, such as 109876543210987.");
    }
}
