using WebhookProcessor.Catalog;
using WebhookProcessor.Functions;
using WebhookProcessor.Health;
using WebhookProcessor.Notifications;
using WebhookProcessor.Ops;
using WebhookProcessor.OpsConsole;
using WebhookProcessor.Processing;
using WebhookProcessor.Queue;
using WebhookProcessor.Reconciliation;
using WebhookProcessor.Telemetry;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.Hosting;

/// <summary>Builds the web application; <c>Program</c> and the tests both start it from here.</summary>
public static class WebhookProcessorApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        // Each feature registers its own provider-independent services and settings; Providers alone
        // picks the SQLite or Azure implementation of each port. The order carries no meaning.
        builder.AddHosting()
            .AddTelemetry()
            .AddWebhooks()
            .AddEventQueue()
            .AddProcessing()
            .AddCatalog()
            .AddNotifications()
            .AddOps()
            .AddHealthEndpoints()
            .AddReconciliation(embeddedLoop: !FunctionsHost.IsEnabled(builder.Configuration))
            .AddOpsConsole()
            .AddConsoleKeyRing()
            .AddOpsOpenApi()
            .AddProviders()
            .AddFunctionsHost()
            .AddSecretChecks()
            .AddRequestProtection();

        var app = builder.Build();
        app.UseSecurityHeaders();
        app.UseRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRefusalGate();
        app.UseConsolePaths();
        app.UseRouting();
        app.MapWebhookEndpoints();
        app.MapOpsEndpoints();
        app.MapHealthEndpoints();
        app.MapNotificationEndpoints();
        app.MapReconciliationEndpoints();
        app.MapFunctionEndpoints();
        app.MapOpsConsole();
        app.MapApiReference();
        app.MapOpsOpenApi();
        return app;
    }
}
