namespace WebhookProcessor.Azure;

/// <summary>
/// Settings under <c>Storage:Tables</c>, used when <c>Storage:Provider</c> is <c>AzureTables</c>. Either
/// <see cref="ConnectionString"/> (Shared Key, or <c>UseDevelopmentStorage=true</c> for Azurite), or
/// <see cref="Endpoint"/> with Microsoft Entra ID (the identity needs Storage Table Data Contributor on
/// the account). The connection string wins when both are set.
/// </summary>
public sealed class TableStorageOptions
{
    public const string SectionName = "Storage:Tables";

    /// <summary>The variable Azure sets to a user-assigned managed identity's client id; <see cref="ClientId"/> defaults to it.</summary>
    public const string ClientIdVariable = "AZURE_CLIENT_ID";

    /// <summary>A storage connection string with an account key, or <c>UseDevelopmentStorage=true</c>. A secret.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>An https table endpoint such as <c>https://&lt;account&gt;.table.core.windows.net/</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>
    /// The client id of the user-assigned managed identity used with <see cref="Endpoint"/> (the
    /// <c>DefaultAzureCredential</c>'s managed identity); when unset, <c>AZURE_CLIENT_ID</c>; when that is
    /// unset too, the system-assigned identity or whatever else the default chain finds.
    /// </summary>
    public string? ClientId { get; set; }

    /// <summary>The https endpoint, or null when <see cref="Endpoint"/> is not one.</summary>
    public Uri? HttpsEndpoint =>
        Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps ? uri : null;
}
