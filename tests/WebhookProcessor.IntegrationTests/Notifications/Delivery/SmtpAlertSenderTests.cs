using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.IntegrationTests.Notifications;

public sealed class SmtpAlertSenderTests(MailDevServer mailDev) : IClassFixture<MailDevServer>
{
    private const string From = "alertas@example.com";

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
            // MailDev offers no STARTTLS; production keeps UseStartTls on.
            Smtp = new SmtpSettings { Host = "127.0.0.1", Port = port, From = From, UseStartTls = false },
            Resilience = TestAlerts.FastResilience(retries),
        }),
        TimeProvider.System,
        NullLogger<SmtpAlertSender>.Instance);
}
