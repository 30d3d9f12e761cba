using Microsoft.AspNetCore.Http.HttpResults;

namespace WebhookProcessor.Webhooks;

public static class WebhookEndpoints
{
    public const string Route = "/api/webhooks/whatsapp";

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        // One service per request instead of one per parameter: this is the hot path.
        app.MapGet(Route, (HttpContext context, WebhookIntake intake) => intake.Verify(context)).WithName("VerifySubscription")
            .WithTags("Webhook").WithSummary("Meta's subscription handshake: echoes hub.challenge when hub.verify_token matches (no key)")
            .Produces<string>(StatusCodes.Status200OK, "text/plain").ProducesProblem(StatusCodes.Status403Forbidden);
        app.MapPost(Route, (HttpContext context, WebhookIntake intake) => intake.ReceiveAsync(context)).WithName("ReceiveWebhook")
            .WithTags("Webhook").WithSummary("A webhook from Meta, checked against X-Hub-Signature-256 and queued (no key)")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status500InternalServerError);
        return app;
    }
}
