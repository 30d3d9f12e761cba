using Microsoft.Extensions.Options;
using WebhookProcessor.Notifications;
using WebhookProcessor.Ops;
using WebhookProcessor.Security;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.Hosting;

/// <summary>What the web host itself adds around the features.</summary>
public static class HostingRegistration
{
    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        return builder;
    }

    /// <summary>
    /// Refuses the development secrets outside Development, and unresolved Key Vault references, in the
    /// webhook, ops and notification settings (<see cref="DevelopmentSecretsValidator"/>).
    /// </summary>
    public static WebApplicationBuilder AddSecretChecks(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IValidateOptions<MetaOptions>, DevelopmentSecretsValidator>();
        builder.Services.AddSingleton<IValidateOptions<OpsOptions>, DevelopmentSecretsValidator>();
        builder.Services.AddSingleton<IValidateOptions<NotificationOptions>, DevelopmentSecretsValidator>();
        return builder;
    }

    /// <summary>
    /// Limits on unauthenticated callers (<c>RateLimiting</c>), and request logging that keeps secrets and
    /// control characters out of the log.
    /// </summary>
    public static WebApplicationBuilder AddRequestProtection(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RateLimitingOptions>, RateLimitingOptionsValidator>();
        builder.Services.AddSingleton<RefusalLimiter>();
        builder.Services.AddHostedService<RefusalSummaryService>();
        builder.Services.AddRequestLogging();
        builder.Services.AddExceptionHandler<ClientErrorHandler>();
        return builder;
    }
}
