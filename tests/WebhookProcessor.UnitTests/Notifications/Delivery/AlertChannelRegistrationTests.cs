using Microsoft.Extensions.DependencyInjection;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.UnitTests.Notifications;

public sealed class AlertChannelRegistrationTests
{
    [Fact]
    public void AddAlertChannels_SendersResolved_AreOneSingletonPerChannel()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddAlertChannels();
        services.AddOptions<NotificationOptions>();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var senders = provider.GetServices<IAlertSender>().ToList();

        Assert.Equal([AlertChannel.Teams, AlertChannel.Email], senders.Select(s => s.Channel));
        // The e-mail sender holds its circuit breakers, so every consumer must share the one instance.
        Assert.Same(provider.GetRequiredService<TeamsWorkflowSender>(), senders[0]);
        Assert.Same(provider.GetRequiredService<SmtpAlertSender>(), senders[1]);
        Assert.Same(senders[0], provider.GetServices<IAlertSender>().First());
    }
}
