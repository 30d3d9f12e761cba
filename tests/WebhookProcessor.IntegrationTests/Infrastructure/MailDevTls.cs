namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// TLS on a MailDev SMTP port: implicit TLS from the first byte (as on 465), or STARTTLS offered after
/// EHLO (as on 587), with the PEM certificate and key at the given paths. <paramref name="User"/> and
/// <paramref name="Password"/>, when set, make MailDev require a login (implicit TLS only: MailDev turns
/// STARTTLS off when a login is required without it).
/// </summary>
public sealed record MailDevTls(string CertificatePath, string KeyPath, bool Implicit, string? User = null, string? Password = null);
