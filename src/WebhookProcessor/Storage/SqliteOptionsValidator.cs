using Microsoft.Extensions.Options;

namespace WebhookProcessor.Storage;

internal sealed class SqliteOptionsValidator : IValidateOptions<SqliteOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteOptions options) =>
        string.IsNullOrWhiteSpace(options.Path)
            ? ValidateOptionsResult.Fail("Storage:Sqlite:Path is empty: set the folder where the queue and catalog databases live.")
            : ValidateOptionsResult.Success;
}
