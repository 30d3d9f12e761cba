using Microsoft.Extensions.Options;

namespace WebhookProcessor.Azure;

/// <summary>Table Storage needs a connection string or an https endpoint; start-up fails naming both keys otherwise.</summary>
public sealed class TableStorageOptionsValidator : IValidateOptions<TableStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, TableStorageOptions options) =>
        !string.IsNullOrWhiteSpace(options.ConnectionString) || options.HttpsEndpoint is not null
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                "Storage:Provider is 'AzureTables': set Storage:Tables:ConnectionString (account key or UseDevelopmentStorage=true) or Storage:Tables:Endpoint (an https table endpoint such as https://<account>.table.core.windows.net/).");
}
