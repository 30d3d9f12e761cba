using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace WebhookProcessor.Notifications;

/// <summary>Registers the two channel senders; needs <see cref="NotificationOptions"/>, a <see cref="TimeProvider"/> and logging.</summary>
public static class AlertChannelRegistration
{
    /// <summary>
    /// Both senders are singletons (the e-mail one holds its circuit breakers; the Teams one's live in
    /// the Teams client's pipeline, <see cref="AddTeamsHttpClient"/>). They are resolvable as themselves
    /// and as <c>IEnumerable&lt;IAlertSender&gt;</c>.
    /// </summary>
    public static IServiceCollection AddAlertChannels(this IServiceCollection services)
    {
        services.AddTeamsHttpClient();
        services.AddSingleton<TeamsWorkflowSender>();
        services.AddSingleton<SmtpAlertSender>();
        services.AddSingleton<IAlertSender>(sp => sp.GetRequiredService<TeamsWorkflowSender>());
        services.AddSingleton<IAlertSender>(sp => sp.GetRequiredService<SmtpAlertSender>());
        return services;
    }

    /// <summary>
    /// The Teams client (<see cref="TeamsPipeline.ClientName"/>) with its resilience pipeline, one
    /// instance per destination URL. The pipelines take their clock from the <see cref="TimeProvider"/>
    /// in the container, so tests can move time with a fake one.
    /// </summary>
    /// <remarks>
    /// <para>
    /// It connects only to public addresses (<see cref="WebhookAddressGuard"/>; loopback and private
    /// ones too when AllowInsecureWebhookUrls), follows no redirect (a 3xx would re-post the card, or
    /// turn it into a GET that looks like success, somewhere the owner's URL does not name) and uses no
    /// proxy (the address check must see the address it connects to). The handler lives for the
    /// process and renews its connections every few minutes instead, so DNS changes of the Workflows
    /// hosts are seen and the circuit state is not rebuilt with each new handler.
    /// </para>
    /// <para>
    /// The factory's request loggers are removed: they write the request URL, and the query (<c>sig</c>)
    /// is the webhook's credential; .NET masks queries in those logs only until someone sets
    /// <c>System.Net.Http.DisableUriRedaction</c>. The client's own timeout is off; the pipeline's
    /// timeouts are the ones that count.
    /// </para>
    /// </remarks>
    public static IServiceCollection AddTeamsHttpClient(this IServiceCollection services)
    {
        services.AddHttpClient(TeamsPipeline.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AllowAutoRedirect = false,
                UseProxy = false,
                ConnectCallback = WebhookAddressGuard.ConnectCallback(
                    allowLocal: sp.GetRequiredService<IOptions<NotificationOptions>>().Value.AllowInsecureWebhookUrls),
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .AddResilienceHandler("alerts", (builder, context) => TeamsPipeline.Configure(
                builder,
                context.ServiceProvider.GetRequiredService<IOptions<NotificationOptions>>().Value.Resilience,
                context.ServiceProvider.GetRequiredService<TimeProvider>()))
            .SelectPipelineBy(_ => TeamsPipeline.DestinationKey);
        return services;
    }
}
