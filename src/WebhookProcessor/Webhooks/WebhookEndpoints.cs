using Microsoft.AspNetCore.Http.HttpResults;

namespace WebhookProcessor.Webhooks;

public static class WebhookEndpoints
{
    public const string Route = "/api/webhooks/whatsapp";

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        // One service per request instead of one per parameter: this is the hot path.
        app.MapGet(Route, (HttpContext context, WebhookIntake intake) => intake.Verify(context)).WithName("VerifySubscription")
            .WithTags("Webhook").WithSummary("Meta's subscription handshake (no key)")
            .WithDescription("Answers hub.challenge as text when hub.mode is subscribe and hub.verify_token is Meta:VerifyToken.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain").ProducesProblem(StatusCodes.Status403Forbidden);
        app.MapPost(Route, (HttpContext context, WebhookIntake intake) => intake.ReceiveAsync(context)).WithName("ReceiveWebhook")
            .WithTags("Webhook").WithSummary("Receive a webhook from Meta (no key)")
            .WithDescription("The body is checked against X-Hub-Signature-256 with Meta:AppSecrets, then queued durably; 200 means it is safe.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status500InternalServerError);
        return app;
    }
}
