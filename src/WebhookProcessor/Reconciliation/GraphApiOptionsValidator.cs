using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace WebhookProcessor.Reconciliation;

public sealed partial class GraphApiOptionsValidator : IValidateOptions<GraphApiOptions>
{
    private const string KeyVaultReference = "@Microsoft.KeyVault(";

    public ValidateOptionsResult Validate(string? name, GraphApiOptions options)
    {
        var failures = new List<string>();

        // An unresolved Key Vault reference would be sent to Meta as the token and fail every call with 190.
        if (options.AccessToken is { } token && token.TrimStart().StartsWith(KeyVaultReference, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add("Meta:GraphApi:AccessToken is a Key Vault reference the host did not resolve; check the app's identity and the secret's name.");
        }

        if (!IsAllowedBaseUrl(options.BaseUrl))
        {
            failures.Add("Meta:GraphApi:BaseUrl must be an absolute https URL without query or credentials (http only to a loopback address).");
        }

        if (options.Version is null || !VersionPattern().IsMatch(options.Version))
        {
            failures.Add("Meta:GraphApi:Version must look like v23.0.");
        }

        if (options.CallsPerHourPerAccount is < 1 or > 1_000_000)
        {
            failures.Add("Meta:GraphApi:CallsPerHourPerAccount must be between 1 and 1000000.");
        }

        if (options.PageSize is < 1 or > 1000)
        {
            failures.Add("Meta:GraphApi:PageSize must be between 1 and 1000.");
        }

        if (options.AttemptTimeout < TimeSpan.FromMilliseconds(10) || options.AttemptTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add("Meta:GraphApi:AttemptTimeout must be between 00:00:00.010 and 00:10:00.");
        }

        if (options.MaxRetryAttempts is < 0 or > 10)
        {
            failures.Add("Meta:GraphApi:MaxRetryAttempts must be between 0 and 10.");
        }

        if (options.RetryBaseDelay < TimeSpan.FromMilliseconds(1) || options.RetryBaseDelay > TimeSpan.FromMinutes(5))
        {
            failures.Add("Meta:GraphApi:RetryBaseDelay must be between 00:00:00.001 and 00:05:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>https anywhere; http only to loopback, where nothing crosses a network.</summary>
    public static bool IsAllowedBaseUrl(string? value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || !string.IsNullOrEmpty(uri.Query)
            || !string.IsNullOrEmpty(uri.Fragment)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }

        return uri.Scheme == Uri.UriSchemeHttps
            || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri));
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.IdnHost, out var address) && IPAddress.IsLoopback(address));

    [GeneratedRegex(@"^v\d{1,3}\.\d{1,3}$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
