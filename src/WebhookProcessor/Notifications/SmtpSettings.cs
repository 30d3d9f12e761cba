namespace WebhookProcessor.Notifications;

public sealed class SmtpSettings
{
    /// <summary>No host: e-mail alerts fail visibly with a message saying so, and can be re-sent once it is set.</summary>
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? From { get; set; }
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public bool UseStartTls { get; set; } = true;
}
