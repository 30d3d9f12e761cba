using MimeKit;

namespace WebhookProcessor.Notifications;

/// <summary>
/// E-mail addresses read with MimeKit, the parser the sender's MailKit uses, so an address the settings
/// or an owner's record pass here is one the sender can put on the envelope.
/// </summary>
internal static class EmailAddresses
{
    /// <summary>One mailbox with a local part and a domain (a display name is allowed: "Alerts &lt;alerts@example.com&gt;").</summary>
    public static bool TryParseMailbox(string? value, out MailboxAddress mailbox)
    {
        // MimeKit also takes a bare local part ("owner"), which no server can route.
        if (MailboxAddress.TryParse(ParserOptions.Default, value?.Trim() ?? string.Empty, out var parsed)
            && !string.IsNullOrEmpty(parsed.LocalPart) && !string.IsNullOrEmpty(parsed.Domain))
        {
            mailbox = parsed;
            return true;
        }

        mailbox = null!;
        return false;
    }
}
