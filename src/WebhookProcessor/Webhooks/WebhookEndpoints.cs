using Microsoft.AspNetCore.Http.HttpResults;

namespace WebhookProcessor.Webhooks;

public static class WebhookEndpoints
{
    public const string Route = "/api/webhooks/whatsapp";

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        // One service per request instead of one per parameter: this is the hot path.
        app.MapGet(Route, (HttpContext context, WebhookIntake intake) => intake.Verify(context)).WithName("VerifySubscription");
        app.MapPost(Route, (HttpContext context, WebhookIntake intake) => intake.ReceiveAsync(context)).WithName("ReceiveWebhook");
        return app;
    }
}
