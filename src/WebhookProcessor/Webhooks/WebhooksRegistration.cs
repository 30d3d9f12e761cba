using Microsoft.Extensions.Options;

namespace WebhookProcessor.Webhooks;

/// <summary>The webhook intake: Meta settings, signature verification and the request body limit.</summary>
public static class WebhooksRegistration
{
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetaOptions>().BindConfiguration(MetaOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MetaOptions>, MetaOptionsValidator>();
        builder.Services.AddSingleton(sp => new SignatureVerifier(sp.GetRequiredService<IOptions<MetaOptions>>().Value.AppSecrets));
        builder.Services.AddSingleton<WebhookIntake>();
        // Kestrel's own ceiling sits just above the webhook limit so oversized bodies stop while streaming.
        var maxBody = builder.Configuration.GetValue<int?>("Meta:MaxBodyBytes") ?? new MetaOptions().MaxBodyBytes;
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxBody);
        return builder;
    }
}
