using Azure.Monitor.OpenTelemetry.AspNetCore;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Instrumentation.Http;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using WebhookProcessor.Azure;
using WebhookProcessor.Functions;

using WebhookProcessor.Telemetry;

namespace WebhookProcessor.Hosting;

/// <summary>
/// OpenTelemetry for the service: its own spans and metrics (<see cref="TelemetryNames"/>), ASP.NET
/// Core and HttpClient instrumentation, Polly's resilience metrics, and the exporters the configuration
/// names (<see cref="TelemetryExporters"/>). Nothing is collected unless an exporter is configured or
/// <c>Telemetry:Enabled</c> is true.
/// </summary>
public static class TelemetryRegistration
{
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        services.AddSingleton<WebhookMetrics>();

        var configuration = builder.Configuration;
        var exporters = TelemetryExporters.From(configuration);
        var enabled = configuration.GetValue<bool?>($"{TelemetryOptions.SectionName}:{nameof(TelemetryOptions.Enabled)}");
        if (exporters.Disabled || enabled == false || (enabled is null && !exporters.Any))
        {
            return builder;
        }

        var functions = FunctionsHost.IsEnabled(configuration);
        // After everyone else's configuration (the Azure Monitor distro configures these options too), and
        // keeping whatever filter or enricher was there: both rules here only ever take something away.
        services.PostConfigure<AspNetCoreTraceInstrumentationOptions>(o =>
        {
            var earlier = o.Filter;
            o.Filter = context => Traced(context, functions) && (earlier?.Invoke(context) ?? true);
        });
        services.PostConfigure<HttpClientTraceInstrumentationOptions>(o =>
        {
            var earlier = o.EnrichWithHttpRequestMessage;
            o.EnrichWithHttpRequestMessage = (activity, request) =>
            {
                earlier?.Invoke(activity, request);
                OutgoingUrls.Enrich(activity, request);
            };
        });

        // A signal every exporter of which is off ("none") is not collected at all; Telemetry:Enabled=true
        // collects both for a host that brings its own exporter.
        var traces = enabled == true || exporters.AzureMonitor || exporters.OtlpTraces || exporters.ConsoleTraces;
        var metrics = enabled == true || exporters.AzureMonitor || exporters.OtlpMetrics || exporters.ConsoleMetrics;
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME, when set, names the service; the resource's own detectors read it.
                if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService(TelemetryNames.ServiceName, serviceVersion: typeof(TelemetryRegistration).Assembly.GetName().Version?.ToString(3));
                }
            })
            .WithTracing(tracing =>
            {
                if (!traces)
                {
                    return;
                }

                tracing.AddSource(TelemetryNames.ActivitySource);
                if (!exporters.AzureMonitor)
                {
                    // The Azure Monitor distro adds both itself; adding them twice would record each request twice.
                    tracing.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                }

                if (exporters.OtlpTraces)
                {
                    tracing.AddOtlpExporter();
                }

                if (exporters.ConsoleTraces)
                {
                    tracing.AddConsoleExporter();
                }
            })
            .WithMetrics(meters =>
            {
                if (!metrics)
                {
                    return;
                }

                meters.AddMeter(TelemetryNames.Meter, TelemetryNames.PollyMeter);
                if (!exporters.AzureMonitor)
                {
                    meters.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                }

                if (exporters.OtlpMetrics)
                {
                    meters.AddOtlpExporter();
                }

                if (exporters.ConsoleMetrics)
                {
                    meters.AddConsoleExporter();
                }
            });

        if (exporters.AzureMonitor)
        {
            otel.UseAzureMonitor();
            services.AddOptions<AzureMonitorOptions>().Configure<IServiceProvider>((o, sp) => ConfigureAzureMonitor(o, configuration, sp));
        }

        services.AddHostedService<TelemetrySampler>();
        return builder;
    }

    /// <summary>
    /// Application Insights that accepts Entra sign-in only (the Bicep's) needs a credential: the app's
    /// identity, named as the Functions host names it in <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c>
    /// (<c>Authorization=AAD;ClientId=…</c>). Without that setting the connection string's key is used.
    /// </summary>
    private static void ConfigureAzureMonitor(AzureMonitorOptions options, IConfiguration configuration, IServiceProvider services)
    {
        var authentication = configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"];
        if (AuthenticationString.UsesEntra(authentication))
        {
            options.Credential = AzureCredentials.For(services, AuthenticationString.ClientId(authentication));
        }
    }

    /// <summary>
    /// Which incoming requests get a server span. Health probes do not (they come every few seconds and
    /// say nothing). On Functions none do: the host already records each invocation as a request, and a
    /// second one from here would count every request twice. The service's own spans still join the
    /// host's trace (<see cref="IncomingTrace"/>).
    /// </summary>
    private static bool Traced(HttpContext context, bool functions) =>
        !functions && !context.Request.Path.StartsWithSegments("/healthz", StringComparison.OrdinalIgnoreCase)
        && !context.Request.Path.StartsWithSegments("/api/healthz", StringComparison.OrdinalIgnoreCase);
}
