using System.Net.Security;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.IntegrationTests.Notifications;

public sealed class SmtpAlertSenderTests(MailDevServer mailDev) : IClassFixture<MailDevServer>
{
    private const string From = "alertas@example.com";
    private const string LoginUser = "alerts";
    private const string LoginPassword = "s3cret-Pass";

    [Fact]
    public async Task Send_ToMailDev_ArrivesWithTextAndHtmlPartsAndSpanishIntact()
    {
        var alert = TestAlerts.Email("duena.pagos@example.com");

        await Sender(mailDev.SmtpPort).SendAsync(alert, CancellationToken.None);

        var email = Assert.Single(await mailDev.WaitForEmailsAsync(e => e.Header(SmtpAlertSender.NotificationHeader) == alert.NotificationId));
        Assert.Equal(From, Assert.Single(email.From).Address);
        Assert.Equal(alert.Recipient, Assert.Single(email.To).Address);
        Assert.Equal(TestAlerts.Subject, email.Subject);
        Assert.Equal(alert.Content.Text, email.Text?.TrimEnd());
        Assert.Equal(alert.Content.Html, email.Html?.TrimEnd());

        var source = await mailDev.GetSourceAsync(email.Id);
        Assert.Contains("multipart/alternative", source, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("text/plain; charset=utf-8", source, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("text/html; charset=utf-8", source, StringComparison.OrdinalIgnoreCase);
        Assert.True(
            source.IndexOf("text/plain", StringComparison.OrdinalIgnoreCase) < source.IndexOf("text/html", StringComparison.OrdinalIgnoreCase),
            "the plain-text part comes first, so clients that can show HTML prefer the HTML one");
    }

    [Fact]
    public async Task Send_ServerDownThenBack_FailsNonPermanentThenSucceeds()
    {
        await using var server = await MailDevServer.StartNewAsync();
        var sender = Sender(server.SmtpPort);
        await server.StopAsync();

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Email("owner@example.com"), CancellationToken.None));
        Assert.False(ex.Permanent);
        Assert.Contains($"127.0.0.1:{server.SmtpPort}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2 attempts", ex.Message, StringComparison.Ordinal);

        await server.StartAsync();
        var alert = TestAlerts.Email("owner@example.com");
        await sender.SendAsync(alert, CancellationToken.None);
        await server.WaitForEmailsAsync(e => e.Header(SmtpAlertSender.NotificationHeader) == alert.NotificationId);
    }

    [Fact]
    public async Task Send_NoHostConfigured_FailsPermanentlyNamingTheSettings()
    {
        var sender = new SmtpAlertSender(
            Options.Create(new NotificationOptions { Smtp = new SmtpSettings { From = From } }),
            TimeProvider.System,
            NullLogger<SmtpAlertSender>.Instance);

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Email("owner@example.com"), CancellationToken.None));

        Assert.True(ex.Permanent);
        Assert.Equal("e-mail is not configured: set Notifications:Smtp:Host and Notifications:Smtp:From", ex.Message);
    }

    [Fact]
    public async Task Send_InvalidRecipient_FailsPermanentlyWithoutSending()
    {
        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(
            () => Sender(mailDev.SmtpPort).SendAsync(TestAlerts.Email("not an address"), CancellationToken.None));

        Assert.True(ex.Permanent);
        Assert.Contains("'not an address' is not valid", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(550, true)]
    [InlineData(553, true)]
    [InlineData(450, false)]
    [InlineData(452, false)]
    public async Task Send_RecipientRefused_IsPermanentOnlyFor5xx(int code, bool permanent)
    {
        await using var server = await RefusingSmtpServer.StartAsync(code);

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(
            () => Sender(server.Port, retries: 1).SendAsync(TestAlerts.Email("gone@example.com"), CancellationToken.None));

        Assert.Equal(permanent, ex.Permanent);
        Assert.Contains("gone@example.com", ex.Message, StringComparison.Ordinal);
        Assert.Equal(permanent ? 1 : 2, server.RecipientsRefused);
    }

    [Fact]
    public async Task Send_OneRecipientKeepsBeingRefused_OtherRecipientsStillGetTheirMail()
    {
        await using var server = await RefusingSmtpServer.StartAsync(450, refusedRecipient: "busy@example.com");
        var resilience = TestAlerts.FastResilience(retries: 1);
        resilience.MinimumThroughput = 4;
        resilience.BreakDuration = TimeSpan.FromMinutes(5);
        var sender = Sender(server.Port, resilience);

        // Three rounds of two refusals: that mailbox's breaker opens, not the server's.
        for (var round = 0; round < 3; round++)
        {
            var refused = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Email("busy@example.com"), CancellationToken.None));
            Assert.False(refused.Permanent);
        }

        var paused = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Email("busy@example.com"), CancellationToken.None));
        Assert.Contains("E-mail alerts to busy@example.com paused", paused.Message, StringComparison.Ordinal);

        await sender.SendAsync(TestAlerts.Email("fine@example.com"), CancellationToken.None);
        Assert.Equal(["fine@example.com"], server.Delivered);
    }

    [Fact]
    public async Task Send_StartTlsWithTheDefaultSettings_ArrivesOverTlsAfterTheCertificateWasChecked()
    {
        using var folder = new TempFolder();
        using var certificate = TestCertificate.Create(folder);
        await using var server = await MailDevServer.StartNewAsync(new MailDevTls(certificate.CertificatePath, certificate.KeyPath, Implicit: false));
        // UseStartTls = true, the default since before MailKit: STARTTLS is required, not merely tried.
        var sender = TlsSender(new SmtpSettings { Host = "127.0.0.1", Port = server.SmtpPort, From = From }, certificate.Validate);
        var alert = TestAlerts.Email("owner@example.com");

        await sender.SendAsync(alert, CancellationToken.None);

        var email = Assert.Single(await server.WaitForEmailsAsync(e => e.Header(SmtpAlertSender.NotificationHeader) == alert.NotificationId));
        Assert.Equal(alert.Content.Text, email.Text?.TrimEnd());
        Assert.Equal(1, certificate.Presented);
    }

    [Fact]
    public async Task Send_ImplicitTlsWithLogin_ArrivesOverTlsAfterTheCertificateWasChecked()
    {
        using var folder = new TempFolder();
        using var certificate = TestCertificate.Create(folder);
        await using var server = await StartImplicitTlsWithLoginAsync(certificate);
        var sender = TlsSender(ImplicitTlsLogin(server.SmtpPort, LoginPassword), certificate.Validate);
        var alert = TestAlerts.Email("owner@example.com");

        await sender.SendAsync(alert, CancellationToken.None);

        await server.WaitForEmailsAsync(e => e.Header(SmtpAlertSender.NotificationHeader) == alert.NotificationId);
        Assert.Equal(1, certificate.Presented);
    }

    [Fact]
    public async Task Send_WrongPassword_FailsPermanentlyNamingTheSettingsWithoutThePassword()
    {
        using var logs = new CapturedLogs();
        using var folder = new TempFolder();
        using var certificate = TestCertificate.Create(folder);
        await using var server = await StartImplicitTlsWithLoginAsync(certificate);
        var sender = TlsSender(ImplicitTlsLogin(server.SmtpPort, "wrong-Pass"), certificate.Validate, logs);

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Email("owner@example.com"), CancellationToken.None));

        Assert.True(ex.Permanent);
        Assert.Contains("refused the login", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Notifications:Smtp:Password", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-Pass", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await server.GetEmailsAsync());
        var logged = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains("Notifications:Smtp:UserName", logged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-Pass", logged.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Send_CertificateNotTrustedByTheMachine_FailsPermanentlyWithoutSending(bool implicitTls)
    {
        using var folder = new TempFolder();
        using var certificate = TestCertificate.Create(folder);
        await using var server = await MailDevServer.StartNewAsync(new MailDevTls(certificate.CertificatePath, certificate.KeyPath, implicitTls));
        var security = implicitTls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
        // The production constructor: nothing but the machine's trust store decides.
        var sender = Sender(new SmtpSettings { Host = "127.0.0.1", Port = server.SmtpPort, From = From, Security = security });

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Email("owner@example.com"), CancellationToken.None));

        Assert.True(ex.Permanent);
        Assert.Contains($"the certificate of the mail server 127.0.0.1:{server.SmtpPort} is not trusted", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Notifications:Smtp:Host", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await server.GetEmailsAsync());
    }

    [Fact]
    public async Task Send_StartTlsRequiredButNotOffered_FailsPermanentlyNamingTheSetting()
    {
        // MailDev's own start script never offers STARTTLS: the plain fixture is such a server.
        var sender = Sender(new SmtpSettings { Host = "127.0.0.1", Port = mailDev.SmtpPort, From = From, UseStartTls = true });
        var alert = TestAlerts.Email("owner@example.com");

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(alert, CancellationToken.None));

        Assert.True(ex.Permanent);
        Assert.Contains("does not offer STARTTLS", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Notifications:Smtp:Security", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await mailDev.GetEmailsAsync(), e => e.Header(SmtpAlertSender.NotificationHeader) == alert.NotificationId);
    }

    [Fact]
    public async Task Send_ImplicitTlsToAPlainTextPort_FailsNamingTheSecuritySetting()
    {
        var sender = Sender(new SmtpSettings { Host = "127.0.0.1", Port = mailDev.SmtpPort, From = From, Security = SecureSocketOptions.SslOnConnect });

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => sender.SendAsync(TestAlerts.Email("owner@example.com"), CancellationToken.None));

        Assert.Contains("TLS handshake", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Notifications:Smtp:Security (SslOnConnect)", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A MailDev of its own on implicit TLS that accepts only <see cref="LoginUser"/> with <see cref="LoginPassword"/>.</summary>
    private static Task<MailDevServer> StartImplicitTlsWithLoginAsync(TestCertificate certificate) =>
        MailDevServer.StartNewAsync(new MailDevTls(certificate.CertificatePath, certificate.KeyPath, Implicit: true, User: LoginUser, Password: LoginPassword));

    private static SmtpSettings ImplicitTlsLogin(int port, string password) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        From = From,
        Security = SecureSocketOptions.SslOnConnect,
        UserName = LoginUser,
        Password = password,
    };

    private static SmtpAlertSender Sender(SmtpSettings smtp) => new(
        Options.Create(new NotificationOptions { Smtp = smtp, Resilience = TestAlerts.FastResilience(1) }),
        TimeProvider.System,
        NullLogger<SmtpAlertSender>.Instance);

    private static SmtpAlertSender TlsSender(SmtpSettings smtp, RemoteCertificateValidationCallback trust, CapturedLogs? logs = null) => new(
        Options.Create(new NotificationOptions { Smtp = smtp, Resilience = TestAlerts.FastResilience(1) }),
        TimeProvider.System,
        logs is null ? NullLogger<SmtpAlertSender>.Instance : new Logger<SmtpAlertSender>(new LoggerFactory([logs])),
        trust);

    private static SmtpAlertSender Sender(int port, ResilienceSettings resilience) => new(
        Options.Create(new NotificationOptions
        {
            Smtp = new SmtpSettings { Host = "127.0.0.1", Port = port, From = From, UseStartTls = false },
            Resilience = resilience,
        }),
        TimeProvider.System,
        NullLogger<SmtpAlertSender>.Instance);

    private static SmtpAlertSender Sender(int port, int retries = 1) => new(
        Options.Create(new NotificationOptions
        {
            // The plain MailDev offers no STARTTLS; production keeps UseStartTls on (the TLS tests above use it).
            Smtp = new SmtpSettings { Host = "127.0.0.1", Port = port, From = From, UseStartTls = false },
            Resilience = TestAlerts.FastResilience(retries),
        }),
        TimeProvider.System,
        NullLogger<SmtpAlertSender>.Instance);
}
