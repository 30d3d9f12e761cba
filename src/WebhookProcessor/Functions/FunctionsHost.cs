using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.Functions;

/// <summary>
/// Running as an Azure Functions custom handler. The Functions host starts this executable with
/// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> set and calls it on that loopback port: HTTP triggers are
/// forwarded on their original path (<c>/api/…</c>, the app's own routes), other triggers are
/// posted to <c>/{FunctionName}</c>. Without the variable none of this is mapped.
/// </summary>
public static class FunctionsHost
{
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public static bool IsEnabled(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[PortVariable]);

    /// <summary>
    /// In Functions mode: listen on the host's loopback port only, and register the trigger handlers with
    /// their settings (<c>Functions</c>, <c>Queue:ServiceBus:Redelivery</c>), validated at start-up.
    /// </summary>
    public static WebApplicationBuilder AddFunctionsHost(this WebApplicationBuilder builder)
    {
        if (!IsEnabled(builder.Configuration))
        {
            return builder;
        }

        var port = Port(builder.Configuration[PortVariable]!);
        // An explicit endpoint replaces --urls and ASPNETCORE_URLS: the host only ever calls 127.0.0.1.
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var services = builder.Services;
        services.AddOptions<FunctionsOptions>().BindConfiguration(FunctionsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FunctionsOptions>, FunctionsOptionsValidator>();
        services.AddOptions<RedeliveryOptions>().BindConfiguration(RedeliveryOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RedeliveryOptions>, RedeliveryOptionsValidator>();
        services.AddSingleton(sp => new RedeliveryPolicy(sp.GetRequiredService<IOptions<RedeliveryOptions>>().Value));
        services.AddSingleton<IRetryScheduler, ServiceBusRetryScheduler>();
        services.AddSingleton<PlannedAlertDispatch>();
        services.PostConfigure<Telemetry.TelemetryOptions>(o => o.HostRecordsInvocations = true);
        builder.Services.AddSingleton<ProcessTemplateEventFunction>();
        builder.Services.AddSingleton<DispatchNotificationsFunction>();
        builder.Services.AddSingleton<DailyMaintenanceFunction>();
        builder.Services.AddSingleton<ReconcileCatalogFunction>();
        return builder;
    }

    public static WebApplication MapFunctionEndpoints(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration))
        {
            return app;
        }

        // Trigger invocations from the Functions host, not API calls: left out of the OpenAPI document.
        app.MapPost("/" + ProcessTemplateEventFunction.Name, (HttpContext context, ProcessTemplateEventFunction function) => function.InvokeAsync(context)).ExcludeFromDescription();
        app.MapPost("/" + DispatchNotificationsFunction.Name, (HttpContext context, DispatchNotificationsFunction function) => function.InvokeAsync(context)).ExcludeFromDescription();
        app.MapPost("/" + DailyMaintenanceFunction.Name, (HttpContext context, DailyMaintenanceFunction function) => function.InvokeAsync(context)).ExcludeFromDescription();
        app.MapPost("/" + ReconcileCatalogFunction.Name, (HttpContext context, ReconcileCatalogFunction function) => function.InvokeAsync(context)).ExcludeFromDescription();
        return app;
    }

    private static int Port(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new OptionsValidationException(PortVariable, typeof(int), [$"{PortVariable} is '{value}'; it must be a TCP port number."]);
}
