using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace WebhookProcessor.Reconciliation;

/// <summary>
/// Reconciling the catalog with Meta's Graph API: its settings (validated at start-up; no token means
/// reconciliation stays off), the Graph API client, the per-account reconciler, the coordinator of runs
/// and, on a host that runs its own loops, the scheduled runs. The <see cref="IReconciliationStore"/>
/// is the provider's (Hosting/Providers).
/// </summary>
public static class ReconciliationRegistration
{
    /// <param name="embeddedLoop">
    /// Whether this process schedules runs itself (<see cref="ReconciliationService"/>). Not on Azure
    /// Functions, where instances come and go: the <c>ReconcileCatalog</c> timer schedules them there.
    /// </param>
    public static WebApplicationBuilder AddReconciliation(this WebApplicationBuilder builder, bool embeddedLoop)
    {
        builder.Services.AddGraphApi();
        builder.Services.AddOptions<ReconciliationOptions>().BindConfiguration(ReconciliationOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ReconciliationOptions>, ReconciliationOptionsValidator>();
        builder.Services.AddSingleton<IAccountReconciler, AccountReconciler>();
        builder.Services.AddSingleton<ReconciliationCoordinator>();
        if (embeddedLoop)
        {
            builder.Services.AddHostedService<ReconciliationService>();
        }

        return builder;
    }

    /// <summary>
    /// <see cref="GraphApiOptions"/>, <see cref="MetaAccountsOptions"/>, the per-account
    /// <see cref="GraphCallBudget"/> and the typed <see cref="GraphApiClient"/>; needs a
    /// <see cref="TimeProvider"/>, configuration and logging in the container.
    /// </summary>
    /// <remarks>
    /// The client follows no redirect (the bearer token must reach the configured host only) and has its
    /// own timeout off: the pipeline's attempt timeout is the one that counts. The factory's request
    /// loggers are removed: they write every URL, and a page's URL carries Meta's paging cursors, which
    /// are no one's business in a log (the token is never in a URL).
    /// </remarks>
    public static IServiceCollection AddGraphApi(this IServiceCollection services)
    {
        services.AddOptions<GraphApiOptions>().BindConfiguration(GraphApiOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GraphApiOptions>, GraphApiOptionsValidator>();
        services.AddOptions<MetaAccountsOptions>().BindConfiguration(MetaAccountsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MetaAccountsOptions>, MetaAccountsOptionsValidator>();
        services.AddSingleton<GraphCallBudget>();
        services.AddHttpClient<GraphApiClient>(client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.MaxResponseContentBufferSize = MaxResponseBytes;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .RemoveAllLoggers()
            .AddResilienceHandler("graph-api", (builder, context) => GraphApiPipeline.Configure(
                builder,
                context.ServiceProvider.GetRequiredService<IOptions<GraphApiOptions>>().Value,
                context.ServiceProvider.GetRequiredService<TimeProvider>(),
                context.ServiceProvider.GetRequiredService<GraphCallBudget>()));
        return services;
    }

    /// <summary>A page of 1,000 templates with these fields is well under a megabyte; more is not a page.</summary>
    private const int MaxResponseBytes = 8 * 1024 * 1024;
}
