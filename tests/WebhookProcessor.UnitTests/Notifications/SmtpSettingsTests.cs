using MailKit.Security;
using Microsoft.Extensions.Configuration;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.UnitTests.Notifications;

public sealed class SmtpSettingsTests
{
    [Theory]
    [InlineData(true, 587, null, SecureSocketOptions.StartTls)]
    [InlineData(true, 2525, null, SecureSocketOptions.StartTls)]
    [InlineData(true, 465, null, SecureSocketOptions.SslOnConnect)]
    [InlineData(false, 587, null, SecureSocketOptions.None)]
    [InlineData(false, 465, null, SecureSocketOptions.None)]
    [InlineData(false, 587, SecureSocketOptions.StartTls, SecureSocketOptions.StartTls)]
    [InlineData(true, 465, SecureSocketOptions.None, SecureSocketOptions.None)]
    [InlineData(true, 587, SecureSocketOptions.StartTlsWhenAvailable, SecureSocketOptions.StartTlsWhenAvailable)]
    [InlineData(true, 25, SecureSocketOptions.Auto, SecureSocketOptions.Auto)]
    public void EffectiveSecurity_UseStartTlsPortAndSecurity_SecurityWinsElseUseStartTlsKeepsRequiringTls(
        bool useStartTls, int port, SecureSocketOptions? security, SecureSocketOptions expected)
    {
        var settings = new SmtpSettings { UseStartTls = useStartTls, Port = port, Security = security };

        Assert.Equal(expected, settings.EffectiveSecurity);
    }

    [Fact]
    public void EffectiveSecurity_NothingConfigured_IsStartTlsOn587()
    {
        var settings = new SmtpSettings();

        Assert.Equal(587, settings.Port);
        Assert.Equal(SecureSocketOptions.StartTls, settings.EffectiveSecurity);
    }

    [Theory]
    [InlineData("SslOnConnect", SecureSocketOptions.SslOnConnect)]
    [InlineData("starttls", SecureSocketOptions.StartTls)]
    [InlineData("None", SecureSocketOptions.None)]
    public void Security_FromConfiguration_BindsTheNamedMode(string value, SecureSocketOptions expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Notifications:Smtp:Security"] = value, ["Notifications:Smtp:UseStartTls"] = "false" })
            .Build();

        var options = configuration.GetSection(NotificationOptions.SectionName).Get<NotificationOptions>()!;

        Assert.Equal(expected, options.Smtp.Security);
        Assert.Equal(expected, options.Smtp.EffectiveSecurity);
    }
}
