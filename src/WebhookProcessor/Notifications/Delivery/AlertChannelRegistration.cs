using Microsoft.Extensions.Options;

namespace WebhookProcessor.Notifications;

/// <summary>Registers the two channel senders; needs <see cref="NotificationOptions"/>, a <see cref="TimeProvider"/> and logging.</summary>
public static class AlertChannelRegistration
{
    /// <summary>
    /// Both senders are singletons because each holds its channel's circuit breaker (a typed
    /// <c>AddHttpClient&lt;T&gt;</c> client would be transient and forget it). They are resolvable as
    /// themselves and as <c>IEnumerable&lt;IAlertSender&gt;</c>.
    /// </summary>
    public static IServiceCollection AddAlertChannels(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<NotificationOptions>>();
            return new TeamsWorkflowSender(
                CreateTeamsHttpClient(options.Value.AllowInsecureWebhookUrls),
                options,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<TeamsWorkflowSender>>());
        });
        services.AddSingleton<SmtpAlertSender>();
        services.AddSingleton<IAlertSender>(sp => sp.GetRequiredService<TeamsWorkflowSender>());
        services.AddSingleton<IAlertSender>(sp => sp.GetRequiredService<SmtpAlertSender>());
        return services;
    }

    /// <summary>
    /// A long-lived client whose connections are renewed every few minutes so DNS changes of the
    /// Workflows hosts are seen. Not from IHttpClientFactory: its request logging would be one more
    /// place the URL (and its <c>sig</c>) could be written. The pipeline's attempt timeout is the one
    /// that counts, so the client's own is off.
    /// </summary>
    /// <remarks>
    /// It connects only to public addresses (<see cref="WebhookAddressGuard"/>; loopback and private
    /// ones too when <paramref name="allowInsecureUrls"/>), follows no redirect (a 3xx would re-post
    /// the card, or turn it into a GET that looks like success, somewhere the owner's URL does not
    /// name) and uses no proxy (the address check must see the address it connects to).
    /// </remarks>
    public static HttpClient CreateTeamsHttpClient(bool allowInsecureUrls = false) =>
        new(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectCallback = WebhookAddressGuard.ConnectCallback(allowLocal: allowInsecureUrls),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
}
