using System.Globalization;
using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Microsoft.Extensions.Options;

namespace WebhookProcessor.Notifications;

/// <summary>
/// Sends the alert as a multipart/alternative e-mail (plain text, then HTML) with
/// <see cref="System.Net.Mail.SmtpClient"/>: STARTTLS only, no implicit TLS on 465. A 5xx answer
/// is the server's final word (a refused mailbox, a refused login) and fails the alert at once;
/// 4xx answers, refused connections and timeouts are retried.
/// </summary>
/// <remarks>Register as a singleton: the circuit breakers (the server's and one per recipient) live in this instance.</remarks>
public sealed partial class SmtpAlertSender : IAlertSender
{
    /// <summary>Carries <see cref="OutgoingAlert.NotificationId"/>, the same on every retry, so copies can be recognised.</summary>
    public const string NotificationHeader = "X-WebhookProcessor-Notification";

    private const string NotConfigured = "e-mail is not configured: set Notifications:Smtp:Host and Notifications:Smtp:From";

    private readonly SmtpSettings _settings;
    private readonly ILogger<SmtpAlertSender> _logger;
    private readonly ChannelResilience _resilience;

    public SmtpAlertSender(IOptions<NotificationOptions> options, TimeProvider timeProvider, ILogger<SmtpAlertSender> logger)
    {
        _settings = options.Value.Smtp;
        _logger = logger;
        // The server is shared by every recipient: its silence is the channel's failure.
        _resilience = new ChannelResilience(AlertChannel.Email, options.Value.Resilience, timeProvider, logger, timeoutScope: FailureScope.Channel);
    }

    public AlertChannel Channel => AlertChannel.Email;

    public async Task SendAsync(OutgoingAlert alert, CancellationToken cancellationToken)
    {
        // Configuration and address problems are checked before the pipeline: retrying cannot fix them.
        if (string.IsNullOrWhiteSpace(_settings.Host) || string.IsNullOrWhiteSpace(_settings.From))
        {
            throw new AlertDeliveryException(NotConfigured, permanent: true);
        }

        var from = Address(_settings.From, "Notifications:Smtp:From is not a valid e-mail address");
        var to = Address(alert.Recipient, $"the owner's e-mail address '{alert.Recipient}' is not valid");
        await _resilience.SendAsync(to.Address.ToLowerInvariant(), token => SendOnceAsync(from, to, alert, token), cancellationToken);
    }

    private async ValueTask SendOnceAsync(MailAddress from, MailAddress to, OutgoingAlert alert, CancellationToken cancellationToken)
    {
        using var message = Compose(from, to, alert);
        using var client = new SmtpClient(_settings.Host, _settings.Port)
        {
            EnableSsl = _settings.UseStartTls,
            DeliveryMethod = SmtpDeliveryMethod.Network,
        };
        if (!string.IsNullOrEmpty(_settings.UserName))
        {
            client.Credentials = new NetworkCredential(_settings.UserName, _settings.Password);
        }

        try
        {
            await client.SendMailAsync(message, cancellationToken);
        }
        catch (SmtpFailedRecipientException ex)
        {
            var status = ex is SmtpFailedRecipientsException { InnerExceptions: [var first, ..] } ? first.StatusCode : ex.StatusCode;
            var refused = $"the mail server refused the recipient {to.Address} ({Code(status)}: {ex.Message})";
            // The server answered and turned away this one mailbox: that is the recipient's failure,
            // and must not pause e-mail for the owners whose mailboxes are fine.
            throw IsPermanent(status)
                ? new AlertDeliveryException($"{refused}; check the owner's e-mail address", permanent: true, ex)
                : new TransientDeliveryException(refused, inner: ex, scope: FailureScope.Destination);
        }
        catch (SmtpException ex)
        {
            throw Classify(ex);
        }

        Log.Sent(_logger, alert.NotificationId, _settings.Host!, _settings.Port);
    }

    private static MailMessage Compose(MailAddress from, MailAddress to, OutgoingAlert alert)
    {
        // Body is the text/plain part; the HTML view follows it, so clients that can show HTML prefer it.
        var message = new MailMessage(from, to)
        {
            Subject = alert.Content.Subject,
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            Body = alert.Content.Text,
            BodyEncoding = Encoding.UTF8,
            BodyTransferEncoding = TransferEncoding.QuotedPrintable,
            IsBodyHtml = false,
        };
        var html = AlternateView.CreateAlternateViewFromString(alert.Content.Html, Encoding.UTF8, MediaTypeNames.Text.Html);
        html.TransferEncoding = TransferEncoding.QuotedPrintable;
        message.AlternateViews.Add(html);
        message.Headers.Add(NotificationHeader, alert.NotificationId);
        return message;
    }

    private Exception Classify(SmtpException ex)
    {
        var server = $"{_settings.Host}:{_settings.Port.ToString(CultureInfo.InvariantCulture)}";
        var code = (int)ex.StatusCode;
        if (ex.StatusCode == SmtpStatusCode.MustIssueStartTlsFirst)
        {
            return new AlertDeliveryException($"the mail server {server} requires STARTTLS: set Notifications:Smtp:UseStartTls to true", permanent: true, ex);
        }

        if (code is 534 or 535)
        {
            return new AlertDeliveryException(
                $"the mail server {server} refused the login ({code}); check Notifications:Smtp:UserName and Notifications:Smtp:Password",
                permanent: true,
                ex);
        }

        if (IsPermanent(ex.StatusCode))
        {
            return new AlertDeliveryException($"the mail server {server} refused the message ({Code(ex.StatusCode)}: {ex.Message})", permanent: true, ex);
        }

        // GeneralFailure (-1) is "no conversation": refused connection, lost connection, TLS failure.
        var why = ex.StatusCode == SmtpStatusCode.GeneralFailure && ex.InnerException is { } inner ? inner.Message : ex.Message;
        return new TransientDeliveryException($"the mail server {server} could not take the message ({Code(ex.StatusCode)}: {why})", inner: ex);
    }

    /// <summary>RFC 5321: 5yz is a permanent negative reply, 4yz a transient one.</summary>
    private static bool IsPermanent(SmtpStatusCode status) => (int)status is >= 500 and < 600;

    private static string Code(SmtpStatusCode status) =>
        status == SmtpStatusCode.GeneralFailure ? "no SMTP reply" : ((int)status).ToString(CultureInfo.InvariantCulture);

    private static MailAddress Address(string? value, string problem)
    {
        if (MailAddress.TryCreate(value?.Trim(), out var address))
        {
            return address;
        }

        throw new AlertDeliveryException(problem, permanent: true);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7121, Level = LogLevel.Debug, Message = "E-mail alert {NotificationId} handed to {Host}:{Port}")]
        public static partial void Sent(ILogger logger, string notificationId, string host, int port);
    }
}
