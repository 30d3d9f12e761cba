namespace WebhookProcessor.AzureRest.Tables;

/// <summary>
/// Where a storage account's Table service is and the Shared Key to sign with, read from a storage
/// connection string. <see cref="ToString"/> never shows the key.
/// </summary>
public sealed class TableConnection
{
    /// <summary>The account every Azurite instance has; its key is published in Azurite's documentation.</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private TableConnection(Uri endpoint, string accountName, byte[] accountKey)
    {
        Endpoint = endpoint;
        AccountName = accountName;
        AccountKey = accountKey;
    }

    /// <summary>The Table service endpoint, e.g. <c>https://acct.table.core.windows.net</c> or Azurite's path-style <c>http://127.0.0.1:10002/devstoreaccount1</c>.</summary>
    public Uri Endpoint { get; }

    public string AccountName { get; }

    /// <summary>The decoded account key (Shared Key signs with the bytes, not the base64 text).</summary>
    internal byte[] AccountKey { get; }

    /// <summary>
    /// Reads <c>DefaultEndpointsProtocol</c>, <c>AccountName</c>, <c>AccountKey</c>, <c>TableEndpoint</c>,
    /// <c>EndpointSuffix</c>, or <c>UseDevelopmentStorage=true</c> (Azurite on its default port).
    /// SAS connection strings are not supported.
    /// </summary>
    /// <exception cref="FormatException">The string is malformed or lacks what Shared Key needs; the message names the setting, never its value.</exception>
    public static TableConnection Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Base64 keys end in '=': only the first '=' separates the name.
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException("The storage connection string has a part that is not name=value.");
            }

            settings[part[..equals].Trim()] = part[(equals + 1)..].Trim();
        }

        if (settings.TryGetValue("UseDevelopmentStorage", out var development) && bool.TryParse(development, out var useDevelopment) && useDevelopment)
        {
            return new TableConnection(new Uri("http://127.0.0.1:10002/" + DevelopmentAccountName), DevelopmentAccountName, Convert.FromBase64String(DevelopmentAccountKey));
        }

        if (settings.ContainsKey("SharedAccessSignature"))
        {
            throw new FormatException("SAS connection strings are not supported; use an account key or Entra ID (endpoint and TokenCredential).");
        }

        var account = Required(settings, "AccountName");
        var key = Required(settings, "AccountKey");
        byte[] keyBytes;
        try
        {
            keyBytes = Convert.FromBase64String(key);
        }
        catch (FormatException ex)
        {
            throw new FormatException("The storage connection string's AccountKey is not base64.", ex);
        }

        Uri endpoint;
        if (settings.TryGetValue("TableEndpoint", out var tableEndpoint))
        {
            if (!Uri.TryCreate(tableEndpoint.TrimEnd('/'), UriKind.Absolute, out endpoint!) || endpoint.Scheme is not ("http" or "https"))
            {
                throw new FormatException("The storage connection string's TableEndpoint is not an absolute http(s) URI.");
            }
        }
        else
        {
            var protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol", "https");
            if (protocol is not ("http" or "https"))
            {
                throw new FormatException("DefaultEndpointsProtocol must be http or https.");
            }

            var suffix = settings.GetValueOrDefault("EndpointSuffix", "core.windows.net");
            endpoint = new Uri($"{protocol}://{account}.table.{suffix}");
        }

        return new TableConnection(endpoint, account, keyBytes);
    }

    public override string ToString() => $"{Endpoint} (account {AccountName})";

    private static string Required(Dictionary<string, string> settings, string name) =>
        settings.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new FormatException($"The storage connection string has no {name}.");
}
