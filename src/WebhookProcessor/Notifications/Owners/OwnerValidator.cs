namespace WebhookProcessor.Notifications;

/// <summary>Checks an owner's fields and names each one that is wrong, with what to do about it.</summary>
public static class OwnerValidator
{
    public const int MaxEmails = 20;

    /// <summary>Checks with the default Teams hosts (<see cref="TeamsSettings.DefaultAllowedHosts"/>).</summary>
    public static (Owner? Owner, Dictionary<string, string[]> Errors) Validate(string? id, OwnerInput? input, bool allowInsecureUrls) =>
        Validate(id, input, new TeamsUrlPolicy(allowInsecureUrls));

    public static (Owner? Owner, Dictionary<string, string[]> Errors) Validate(string? id, OwnerInput? input, TeamsUrlPolicy teamsUrls)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];

        if (string.IsNullOrWhiteSpace(id) || id.Length > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            Fail("ownerId", "ownerId must be 1 to 64 letters, digits, '-', '_' or '.', such as 'payments-team'.");
        }

        if (input is null)
        {
            Fail("body", "Send a JSON object with displayName, emails, teamsWebhookUrl, language and match.");
            return (null, errors);
        }

        var displayName = input.DisplayName?.Trim();
        if (string.IsNullOrEmpty(displayName) || displayName.Length > 200)
        {
            Fail("displayName", "displayName is required (at most 200 characters).");
        }

        var emails = new List<string>();
        var given = input.Emails ?? [];
        if (given.Count > MaxEmails)
        {
            Fail("emails", $"At most {MaxEmails} e-mail addresses per owner.");
        }

        for (var i = 0; i < given.Count && i < MaxEmails; i++)
        {
            if (NormalizeEmail(given[i]) is { } address)
            {
                if (!emails.Contains(address, StringComparer.OrdinalIgnoreCase))
                {
                    emails.Add(address);
                }
            }
            else
            {
                Fail($"emails[{i}]", $"'{given[i]}' is not a valid e-mail address; write it as name@example.com.");
            }
        }

        var teamsUrl = string.IsNullOrWhiteSpace(input.TeamsWebhookUrl) ? null : input.TeamsWebhookUrl.Trim();
        if (teamsUrl is not null && teamsUrls.Check(teamsUrl) is { } urlError)
        {
            Fail("teamsWebhookUrl", urlError);
        }

        if (given.Count == 0 && teamsUrl is null)
        {
            Fail("emails", "Give at least one e-mail address or a teamsWebhookUrl: an owner nobody can reach would lose its alerts.");
        }

        var language = string.IsNullOrWhiteSpace(input.Language) ? OwnerLanguages.Spanish : input.Language.Trim().ToLowerInvariant();
        if (!OwnerLanguages.IsSupported(language))
        {
            Fail("language", $"language must be '{OwnerLanguages.Spanish}' or '{OwnerLanguages.English}'.");
        }

        var wabaId = string.IsNullOrWhiteSpace(input.Match?.WabaId) ? null : input.Match.WabaId.Trim();
        if (wabaId is not null && (wabaId.Length > 32 || !wabaId.All(char.IsAsciiDigit)))
        {
            Fail("match.wabaId", "match.wabaId must be a WhatsApp Business Account id (digits only), or null to match every account.");
        }

        var pattern = string.IsNullOrWhiteSpace(input.Match?.TemplateNamePattern) ? null : input.Match.TemplateNamePattern.Trim();
        if (pattern is not null && !pattern.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '*' or '?'))
        {
            Fail("match.templateNamePattern", "match.templateNamePattern is a template name with '*' (any characters) and '?' (one character), such as 'payment_*', or null.");
        }
        else if (pattern is not null && pattern.Length > Glob.MaxPatternLength)
        {
            Fail("match.templateNamePattern", $"match.templateNamePattern is {pattern.Length} characters long; at most {Glob.MaxPatternLength} are allowed (a prefix and a star, such as 'payment_*', is usual).");
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new Owner
        {
            Id = id!,
            DisplayName = displayName!,
            Emails = emails,
            TeamsWebhookUrl = teamsUrl,
            Language = language,
            Match = new OwnerMatch(wabaId, pattern),
        }, errors);
    }

    private static string? NormalizeEmail(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        // A bare address only: "Name <a@b>" or a list would make the recipient ambiguous.
        return EmailAddresses.TryParseMailbox(trimmed, out var address) && address.Address == trimmed && string.IsNullOrEmpty(address.Name)
            && address.Domain.Contains('.', StringComparison.Ordinal) ? address.Address : null;
    }
}
