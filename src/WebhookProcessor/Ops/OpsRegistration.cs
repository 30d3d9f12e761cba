using Microsoft.Extensions.Options;

namespace WebhookProcessor.Ops;

/// <summary>The ops API's settings (section <c>Ops</c>) and its API key check.</summary>
public static class OpsRegistration
{
    public static WebApplicationBuilder AddOps(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OpsOptions>().BindConfiguration(OpsOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OpsOptions>, OpsOptionsValidator>();
        builder.Services.AddSingleton<ApiKeyFilter>();
        return builder;
    }
}
