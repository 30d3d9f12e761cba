using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Text;

namespace WebhookProcessor.Notifications;

/// <summary>
/// Sends the alert as a multipart/alternative e-mail (plain text, then HTML) with MailKit: STARTTLS on
/// 587, implicit TLS on 465 (<see cref="SmtpSettings.EffectiveSecurity"/>), a login when a user name is
/// set, and the server certificate checked against the machine's trust store with no way to switch that
/// off from configuration. A 5xx answer is the server's final word (a refused mailbox, a refused login)
/// and fails the alert at once, as do settings that cannot work (a login or certificate the server or we
/// refuse, TLS the server does not offer); 4xx answers, refused connections and timeouts are retried.
/// </summary>
/// <remarks>
/// Register as a singleton: the circuit breakers (the server's and one per recipient) live in this instance.
/// Each attempt opens its own connection and closes it: alerts are few and the dispatcher sends them in
/// parallel, so a pool would need one connection per parallel send, a check that the server has not
/// dropped an idle one, and a rule for servers that cap messages per connection. A fresh connection
/// makes each retry a clean start and keeps a broken session from failing the next recipient's alert.
/// </remarks>
public sealed partial class SmtpAlertSender : IAlertSender
{
    /// <summary>Carries <see cref="OutgoingAlert.NotificationId"/>, the same on every retry, so copies can be recognised.</summary>
    public const string NotificationHeader = "X-WebhookProcessor-Notification";

    private const string NotConfigured = "e-mail is not configured: set Notifications:Smtp:Host and Notifications:Smtp:From";

    private readonly SmtpSettings _settings;
    private readonly ResilienceSettings _resilienceSettings;
    private readonly ILogger<SmtpAlertSender> _logger;
    private readonly ChannelResilience _resilience;
    private readonly RemoteCertificateValidationCallback? _certificateValidation;

    public SmtpAlertSender(IOptions<NotificationOptions> options, TimeProvider timeProvider, ILogger<SmtpAlertSender> logger, Telemetry.WebhookMetrics? metrics = null)
        : this(options, timeProvider, logger, certificateValidation: null)
    {
        metrics?.AddBreaker(NotificationRows.ChannelName(AlertChannel.Email), () => _resilience.ChannelState);
    }

    /// <summary>
    /// The seam through which tests trust the self-signed certificate they created, and only that one.
    /// Production uses the public constructor: the certificate must chain to a root the machine trusts and
    /// name the host, and no setting can relax that, so a configuration mistake cannot open the door to
    /// an impostor that reads the alerts and the SMTP password.
    /// </summary>
    internal SmtpAlertSender(
        IOptions<NotificationOptions> options,
        TimeProvider timeProvider,
        ILogger<SmtpAlertSender> logger,
        RemoteCertificateValidationCallback? certificateValidation)
    {
        _settings = options.Value.Smtp;
        _resilienceSettings = options.Value.Resilience;
        _logger = logger;
        _certificateValidation = certificateValidation;
        // The server is shared by every recipient: its silence is the channel's failure.
        _resilience = new ChannelResilience(AlertChannel.Email, options.Value.Resilience, timeProvider, logger, timeoutScope: FailureScope.Channel);
    }

    public AlertChannel Channel => AlertChannel.Email;

    private string Server => $"{_settings.Host}:{_settings.Port.ToString(CultureInfo.InvariantCulture)}";

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

    private async ValueTask SendOnceAsync(MailboxAddress from, MailboxAddress to, OutgoingAlert alert, CancellationToken cancellationToken)
    {
        using var message = Compose(from, to, alert);
        using var client = new SmtpClient
        {
            // The pipeline's attempt timeout cancels first; this only bounds a single socket operation.
            Timeout = (int)Math.Min(int.MaxValue, _resilienceSettings.AttemptTimeout.TotalMilliseconds),
        };
        var certificateErrors = SslPolicyErrors.None;
        client.ServerCertificateValidationCallback = (sender, certificate, chain, errors) =>
        {
            var trusted = errors == SslPolicyErrors.None || (_certificateValidation?.Invoke(sender, certificate, chain, errors) ?? false);
            certificateErrors = trusted ? SslPolicyErrors.None : errors;
            return trusted;
        };

        var stage = Stage.Connect;
        try
        {
            await client.ConnectAsync(_settings.Host!, _settings.Port, _settings.EffectiveSecurity, cancellationToken);
            if (!string.IsNullOrEmpty(_settings.UserName))
            {
                stage = Stage.Login;
                await client.AuthenticateAsync(_settings.UserName, _settings.Password ?? string.Empty, cancellationToken);
            }

            stage = Stage.Send;
            await client.SendAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && Classify(ex, to, stage, certificateErrors) is { } failure)
        {
            // A failure that names one of our settings is for whoever runs the service, not the owner: say it in the log too.
            if (failure.Message.Contains("Notifications:Smtp:", StringComparison.Ordinal))
            {
                Log.SettingsProblem(_logger, failure.Message);
            }

            throw failure;
        }

        Log.Sent(_logger, alert.NotificationId, _settings.Host!, _settings.Port);
        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception ex)
        {
            // The server has accepted the message: a failed or cancelled QUIT (the attempt timeout, shutdown)
            // must not make the alert count as failed and be sent a second time.
            Log.QuitFailed(_logger, alert.NotificationId, ex.GetType().Name);
        }
    }

    private static MimeMessage Compose(MailboxAddress from, MailboxAddress to, OutgoingAlert alert)
    {
        var message = new MimeMessage();
        message.From.Add(from);
        message.To.Add(to);
        message.Subject = alert.Content.Subject;
        message.Headers.Add(NotificationHeader, alert.NotificationId);

        // The plain-text part first, then the HTML one: clients show the last part they can display.
        var text = new TextPart(TextFormat.Plain) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        text.SetText(Encoding.UTF8, alert.Content.Text);
        var html = new TextPart(TextFormat.Html) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        html.SetText(Encoding.UTF8, alert.Content.Html);
        message.Body = new MultipartAlternative { text, html };
        return message;
    }

    /// <summary>Turns what MailKit threw into the sender contract; <see langword="null"/> for what is not ours to judge (passes on as it is).</summary>
    private Exception? Classify(Exception ex, MailboxAddress to, Stage stage, SslPolicyErrors certificateErrors)
    {
        var server = Server;
        switch (ex)
        {
            case SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted } refused:
                {
                    var reply = $"the mail server refused the recipient {to.Address} ({Code(refused.StatusCode)}: {refused.Message})";
                    // The server answered and turned away this one mailbox: that is the recipient's failure,
                    // and must not pause e-mail for the owners whose mailboxes are fine.
                    return IsPermanent(refused.StatusCode)
                        ? new AlertDeliveryException($"{reply}; check the owner's e-mail address", permanent: true, ex)
                        : new TransientDeliveryException(reply, inner: ex, scope: FailureScope.Destination);
                }

            case SmtpCommandException { ErrorCode: SmtpErrorCode.SenderNotAccepted } refused when IsPermanent(refused.StatusCode):
                return new AlertDeliveryException(
                    $"the mail server {server} refused the sender ({Code(refused.StatusCode)}: {refused.Message}); check Notifications:Smtp:From",
                    permanent: true,
                    ex);

            case SmtpCommandException command:
                return FromStatus(command.StatusCode, command.Message, ex);

            case ServiceNotAuthenticatedException:
                return new AlertDeliveryException(
                    $"the mail server {server} takes mail only after a login; set Notifications:Smtp:UserName and Notifications:Smtp:Password (and TLS with Notifications:Smtp:Security)",
                    permanent: true,
                    ex);

            case AuthenticationException { InnerException: SmtpCommandException { StatusCode: var status } } when !IsPermanent(status):
                return new TransientDeliveryException($"the mail server {server} could not check the login now ({Code(status)})", inner: ex);

            case AuthenticationException:
                return new AlertDeliveryException(
                    $"the mail server {server} refused the login; check Notifications:Smtp:UserName and Notifications:Smtp:Password",
                    permanent: true,
                    ex);

            case SslHandshakeException when certificateErrors != SslPolicyErrors.None:
                return new AlertDeliveryException(
                    $"the certificate of the mail server {server} is not trusted ({certificateErrors}); Notifications:Smtp:Host must be a name the certificate carries, and its issuer must be trusted by this machine",
                    permanent: true,
                    ex);

            case SslHandshakeException:
                // A server that does not speak TLS where we expect it (465 vs 587), or a connection lost mid-handshake.
                return new TransientDeliveryException(
                    $"the TLS handshake with the mail server {server} failed ({Innermost(ex)}); check Notifications:Smtp:Security ({_settings.EffectiveSecurity}) against the port: SslOnConnect for 465, StartTls for 587",
                    inner: ex);

            case NotSupportedException when stage == Stage.Connect:
                return new AlertDeliveryException(
                    $"the mail server {server} does not offer STARTTLS; use the server's TLS port with Notifications:Smtp:Security SslOnConnect, or a server that offers it",
                    permanent: true,
                    ex);

            case NotSupportedException when stage == Stage.Login:
                return new AlertDeliveryException(
                    $"the mail server {server} offers no login on this connection; remove Notifications:Smtp:UserName and Notifications:Smtp:Password, or secure the connection with Notifications:Smtp:Security",
                    permanent: true,
                    ex);

            case SmtpProtocolException or ServiceNotConnectedException or SocketException or IOException or TimeoutException:
                // No conversation, or one cut short: refused or lost connection, a server that hung up.
                return new TransientDeliveryException($"the mail server {server} could not take the message (no SMTP reply: {Innermost(ex)})", inner: ex);

            default:
                return null;
        }
    }

    private Exception FromStatus(SmtpStatusCode status, string reply, Exception ex)
    {
        var server = Server;
        var code = (int)status;
        if (code == 530)
        {
            // 530 is "authentication required" and, from many servers, "must issue STARTTLS first".
            return new AlertDeliveryException(
                $"the mail server {server} requires TLS or a login first (530: {reply}); check Notifications:Smtp:Security, Notifications:Smtp:UserName and Notifications:Smtp:Password",
                permanent: true,
                ex);
        }

        if (code is 534 or 535)
        {
            return new AlertDeliveryException(
                $"the mail server {server} refused the login ({code.ToString(CultureInfo.InvariantCulture)}); check Notifications:Smtp:UserName and Notifications:Smtp:Password",
                permanent: true,
                ex);
        }

        return IsPermanent(status)
            ? new AlertDeliveryException($"the mail server {server} refused the message ({Code(status)}: {reply})", permanent: true, ex)
            : new TransientDeliveryException($"the mail server {server} could not take the message ({Code(status)}: {reply})", inner: ex);
    }

    /// <summary>RFC 5321: 5yz is a permanent negative reply, 4yz a transient one.</summary>
    private static bool IsPermanent(SmtpStatusCode status) => (int)status is >= 500 and < 600;

    private static string Code(SmtpStatusCode status) => ((int)status).ToString(CultureInfo.InvariantCulture);

    /// <summary>The root cause's message ("Connection refused"), which says more than the wrappers around it.</summary>
    private static string Innermost(Exception ex) => ex.GetBaseException().Message;

    private static MailboxAddress Address(string? value, string problem)
    {
        if (EmailAddresses.TryParseMailbox(value, out var address))
        {
            return address;
        }

        throw new AlertDeliveryException(problem, permanent: true);
    }

    private enum Stage
    {
        Connect,
        Login,
        Send,
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7121, Level = LogLevel.Debug, Message = "E-mail alert {NotificationId} handed to {Host}:{Port}")]
        public static partial void Sent(ILogger logger, string notificationId, string host, int port);

        [LoggerMessage(EventId = 7123, Level = LogLevel.Debug, Message = "E-mail alert {NotificationId} was accepted; closing the connection then failed with {Error}")]
        public static partial void QuitFailed(ILogger logger, string notificationId, string error);

        [LoggerMessage(EventId = 7122, Level = LogLevel.Error, Message = "E-mail cannot be sent with the current settings: {Problem}")]
        public static partial void SettingsProblem(ILogger logger, string problem);
    }
}
