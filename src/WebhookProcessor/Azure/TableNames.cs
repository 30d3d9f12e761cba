namespace WebhookProcessor.Azure;

/// <summary>
/// The tables the stores use. A prefix keeps several deployments (or test runs) apart in one account.
/// </summary>
public sealed record TableNames
{
    public TableNames(string prefix = "wp")
    {
        if (!IsValidTableName(prefix + "deadletters") || prefix.Length > 40)
        {
            throw new ArgumentException($"'{prefix}' cannot start a table name: letters and digits only, starting with a letter, at most 40 characters.", nameof(prefix));
        }

        Prefix = prefix;
    }

    public string Prefix { get; }

    /// <summary>One partition per template (or per account for events without a template): catalog row, history rows, outbox rows.</summary>
    public string Catalog => Prefix + "catalog";

    /// <summary>History copies in newest-first order, per template, per account and overall.</summary>
    public string Events => Prefix + "events";

    /// <summary>Catalog copies in template-id order, per account and overall.</summary>
    public string Templates => Prefix + "templates";

    public string Owners => Prefix + "owners";

    /// <summary>The outbox items themselves, one partition each.</summary>
    public string Notifications => Prefix + "notifications";

    /// <summary>Pointers to outbox items: when each is due, and newest first for ops.</summary>
    public string NotificationIndex => Prefix + "alertindex";

    public string DeadLetters => Prefix + "deadletters";

    /// <summary>Letters and digits, starting with a letter, 3 to 63 characters, and not the reserved "tables".</summary>
    public static bool IsValidTableName(string name) =>
        name is { Length: >= 3 and <= 63 } && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit)
        && !name.Equals("tables", StringComparison.OrdinalIgnoreCase);

    public IReadOnlyList<string> All => [Catalog, Events, Templates, Owners, Notifications, NotificationIndex, DeadLetters];
}
