using Azure.Core;
using Azure.Core.Pipeline;

namespace WebhookProcessor.AzureRest.Tables;

/// <summary>
/// A storage account's Table service: one Azure.Core pipeline (retries on transient statuses per
/// Azure.Core's defaults, Table headers, Shared Key Lite or Entra ID) shared by its <see cref="TableClient"/>s.
/// </summary>
public sealed class TableServiceClient
{
    /// <summary>The scope Entra ID tokens for Storage are requested for.</summary>
    public const string StorageScope = "https://storage.azure.com/.default";

    private readonly TableTransport _transport;

    /// <summary>From a storage connection string (account key or <c>UseDevelopmentStorage=true</c>).</summary>
    public TableServiceClient(string connectionString, TableClientOptions? options = null)
        : this(TableConnection.Parse(connectionString), options)
    {
    }

    public TableServiceClient(TableConnection connection, TableClientOptions? options = null)
    {
        options ??= new TableClientOptions();
        _transport = new TableTransport(
            HttpPipelineBuilder.Build(options, new TableHeadersPolicy(options.TimeProvider, options.ServiceVersion), new TableSharedKeyPolicy(connection.AccountName, connection.AccountKey)),
            connection.Endpoint);
    }

    /// <summary>With Entra ID (managed identity, workload identity…): needs the Storage Table Data Contributor role.</summary>
    public TableServiceClient(Uri endpoint, TokenCredential credential, TableClientOptions? options = null)
    {
        options ??= new TableClientOptions();
        _transport = new TableTransport(
            HttpPipelineBuilder.Build(options, new TableHeadersPolicy(options.TimeProvider, options.ServiceVersion), new BearerTokenAuthenticationPolicy(credential, StorageScope)),
            endpoint);
    }

    public Uri Endpoint => _transport.Endpoint;

    /// <param name="tableName">Letters and digits, starting with a letter, 3 to 63 characters.</param>
    public TableClient GetTableClient(string tableName)
    {
        if (!IsValidTableName(tableName))
        {
            throw new ArgumentException($"'{tableName}' is not a valid table name: 3 to 63 letters and digits, starting with a letter.", nameof(tableName));
        }

        return new TableClient(_transport, tableName);
    }

    public static bool IsValidTableName(string name) =>
        name is { Length: >= 3 and <= 63 } && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit)
        && !name.Equals("tables", StringComparison.OrdinalIgnoreCase);
}
