using MailKit.Security;

namespace WebhookProcessor.Notifications;

public sealed class SmtpSettings
{
    /// <summary>No host: e-mail alerts fail visibly with a message saying so, and can be re-sent once it is set.</summary>
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? From { get; set; }
    public string? UserName { get; set; }
    public string? Password { get; set; }

    /// <summary>Kept for configurations written before <see cref="Security"/>; ignored when <see cref="Security"/> is set.</summary>
    public bool UseStartTls { get; set; } = true;

    /// <summary>
    /// How the connection is secured: <c>StartTls</c> (submission, 587), <c>SslOnConnect</c> (implicit TLS,
    /// 465), <c>None</c>, or MailKit's <c>Auto</c> / <c>StartTlsWhenAvailable</c>, which fall back to plain
    /// text when the server offers no STARTTLS. Unset: derived from <see cref="UseStartTls"/> and <see cref="Port"/>.
    /// </summary>
    public SecureSocketOptions? Security { get; set; }

    /// <summary>
    /// The security actually used. Without an explicit <see cref="Security"/>, <see cref="UseStartTls"/> keeps
    /// its old meaning (TLS required), and port 465 means implicit TLS, the only TLS a 465 server speaks.
    /// </summary>
    public SecureSocketOptions EffectiveSecurity => Security ?? (!UseStartTls
        ? SecureSocketOptions.None
        : Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls);
}
