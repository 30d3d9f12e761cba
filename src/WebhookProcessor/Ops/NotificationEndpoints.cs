using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.Ops;

/// <summary>Ops API for owners and the alert outbox (behind the same API key as the rest of /api).</summary>
public static class NotificationEndpoints
{
    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter<ApiKeyFilter>().DescribeApiKey();
        api.MapGet("/owners", ListOwnersAsync).WithTags("Owners").WithSummary("Owners: every one, or a page with limit or cursor");
        api.MapGet("/owners/{ownerId}", GetOwnerAsync).WithTags("Owners").WithSummary("One owner").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/owners/{ownerId}", PutOwnerAsync).WithTags("Owners").WithSummary("Create or replace an owner")
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/owners/{ownerId}", DeleteOwnerAsync).WithTags("Owners").WithSummary("Delete an owner").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/notifications", ListNotificationsAsync).WithTags("Alerts").WithSummary("Alerts in the outbox, filtered and paged");
        api.MapGet("/notifications/{notificationId}", GetNotificationAsync).WithTags("Alerts").WithSummary("One alert and its delivery status").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/notifications/{notificationId}/retry", RetryAsync).WithTags("Alerts").WithSummary("Re-send a failed or unrouted alert")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>
    /// With <c>limit</c> or <c>cursor</c>: one page in owner-id order, as <c>{items, nextCursor}</c> like the
    /// other lists. Without either: every owner as a bare array, the shape this route had before paging,
    /// so existing clients keep working.
    /// </summary>
    internal static async Task<Results<Ok<IReadOnlyList<OwnerDto>>, Ok<PageDto<OwnerDto>>, ValidationProblem>> ListOwnersAsync(
        HttpRequest request, INotificationStore store, CancellationToken cancellationToken)
    {
        if (!request.Query.ContainsKey("limit") && !request.Query.ContainsKey("cursor"))
        {
            return TypedResults.Ok<IReadOnlyList<OwnerDto>>((await store.ListOwnersAsync(cancellationToken)).Select(OwnerDto.From).ToList());
        }

        var q = new QueryReader(request.Query);
        var limit = q.Limit();
        if (q.Errors.Count > 0)
        {
            return OpsEndpoints.Invalid(q);
        }

        try
        {
            var page = await store.ListOwnersPageAsync(limit, q.Cursor(), cancellationToken);
            return TypedResults.Ok(new PageDto<OwnerDto>(page.Items.Select(OwnerDto.From).ToList(), page.NextCursor));
        }
        catch (FormatException ex)
        {
            return OpsEndpoints.BadCursor(ex);
        }
    }

    internal static async Task<Results<Ok<OwnerDto>, ProblemHttpResult>> GetOwnerAsync(string ownerId, INotificationStore store, CancellationToken cancellationToken) =>
        await store.GetOwnerAsync(ownerId, cancellationToken) is { } owner
            ? TypedResults.Ok(OwnerDto.From(owner))
            : OwnerNotFound(ownerId);

    internal static async Task<Results<Created<OwnerDto>, Ok<OwnerDto>, ValidationProblem, ProblemHttpResult>> PutOwnerAsync(
        string ownerId,
        OwnerInput? body,
        INotificationStore store,
        IOptions<NotificationOptions> options,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var attempt = await OwnerSaving.SaveAsync(ownerId, body, store, options.Value, clock.GetUtcNow(), cancellationToken);
        if (attempt is not { Owner: { } owner, Saved: { } saved })
        {
            var errors = attempt.Errors.ToDictionary(e => e.Key, e => e.Value);
            return TypedResults.ValidationProblem(errors, title: "Invalid owner", detail: string.Join(" ", errors.Values.SelectMany(v => v)));
        }

        if (saved.ClashingOwnerId is { } clash)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Another owner has the same match",
                detail: OwnerSaving.ClashDetail(owner, clash));
        }

        var dto = OwnerDto.From(owner);
        return saved.Created ? TypedResults.Created($"/api/owners/{Uri.EscapeDataString(owner.Id)}", dto) : TypedResults.Ok(dto);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteOwnerAsync(string ownerId, INotificationStore store, CancellationToken cancellationToken) =>
        await store.DeleteOwnerAsync(ownerId, cancellationToken) ? TypedResults.NoContent() : OwnerNotFound(ownerId);

    internal static async Task<Results<Ok<PageDto<NotificationDto>>, ValidationProblem>> ListNotificationsAsync(HttpRequest request, INotificationStore store, CancellationToken cancellationToken)
    {
        var q = new QueryReader(request.Query);
        var status = q.Text("status")?.ToLowerInvariant();
        if (status is not null && !NotificationStatus.All.Contains(status))
        {
            q.Errors["status"] = [$"status must be one of {string.Join(", ", NotificationStatus.All)}."];
        }

        var kind = q.Text("kind")?.ToLowerInvariant();
        if (kind is not null && !AlertKinds.All.Contains(kind))
        {
            q.Errors["kind"] = [$"kind must be one of {string.Join(", ", AlertKinds.All)}."];
        }

        var channel = q.Text("channel")?.ToLowerInvariant();
        if (channel is not null && channel is not ("email" or "teams"))
        {
            q.Errors["channel"] = ["channel must be email or teams."];
        }

        var query = new NotificationQuery(q.TemplateId("templateId"), status, kind, channel, q.Limit(), q.Cursor());
        if (q.Errors.Count > 0)
        {
            return OpsEndpoints.Invalid(q);
        }

        try
        {
            var page = await store.QueryAsync(query, cancellationToken);
            return TypedResults.Ok(new PageDto<NotificationDto>(page.Items.Select(NotificationDto.From).ToList(), page.NextCursor));
        }
        catch (FormatException ex)
        {
            return OpsEndpoints.BadCursor(ex);
        }
    }

    internal static async Task<Results<Ok<NotificationDto>, ProblemHttpResult>> GetNotificationAsync(string notificationId, INotificationStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(notificationId, cancellationToken) is { } notification
            ? TypedResults.Ok(NotificationDto.From(notification))
            : NotificationNotFound(notificationId);

    /// <summary>Re-sends a failed or unrouted alert (see <see cref="AlertRetry"/>).</summary>
    internal static async Task<Results<Accepted<IReadOnlyList<NotificationDto>>, ProblemHttpResult>> RetryAsync(
        string notificationId,
        INotificationStore store,
        AlertSignals signals,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var result = await AlertRetry.RetryAsync(notificationId, store, signals, clock, cancellationToken);
        switch (result.Outcome)
        {
            case AlertRetryOutcome.NotFound:
                return NotificationNotFound(notificationId);
            case AlertRetryOutcome.StillNoOwner:
                var facts = result.Original!.Facts;
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Still no owner",
                    detail: $"No owner matches account {facts.WabaId} / template '{facts.TemplateName}' and there is no default owner. Add one with PUT /api/owners/{{ownerId}}, then retry.");
            case AlertRetryOutcome.NotRetryable:
                return NotRetryable(notificationId, result.Why!);
        }

        var notification = result.Original!;
        var items = result.Alerts.Select(NotificationDto.From).ToList();
        return TypedResults.Accepted<IReadOnlyList<NotificationDto>>($"/api/notifications?templateId={notification.Facts.TemplateId?.ToString(CultureInfo.InvariantCulture)}", items);
    }

    private static ProblemHttpResult OwnerNotFound(string ownerId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Owner not found", detail: $"There is no owner '{ownerId}'. GET /api/owners lists them.");

    private static ProblemHttpResult NotificationNotFound(string notificationId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Notification not found", detail: $"There is no notification '{notificationId}'.");

    private static ProblemHttpResult NotRetryable(string notificationId, string why) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Cannot re-send", detail: $"Notification '{notificationId}' cannot be re-sent: {why}.");
}
