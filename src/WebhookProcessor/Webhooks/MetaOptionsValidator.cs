using Microsoft.Extensions.Options;

namespace WebhookProcessor.Webhooks;

internal sealed class MetaOptionsValidator : IValidateOptions<MetaOptions>
{
    /// <summary>Meta's app secrets are 32 hexadecimal characters; anything much shorter is guessable, not a secret.</summary>
    public const int MinAppSecretLength = 16;

    /// <summary>The verify token is chosen by us; short ones can be guessed against the public handshake route.</summary>
    public const int MinVerifyTokenLength = 16;

    public ValidateOptionsResult Validate(string? name, MetaOptions options)
    {
        var failures = new List<string>();
        if (options.AppSecrets.Count == 0)
        {
            failures.Add("Meta:AppSecrets is empty: set at least one Meta app secret (for example the environment variable Meta__AppSecrets__0). Unsigned webhooks are never accepted.");
        }

        for (var i = 0; i < options.AppSecrets.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.AppSecrets[i]))
            {
                failures.Add($"Meta:AppSecrets:{i} is blank: remove it or set the app secret.");
            }
            else if (options.AppSecrets[i].Trim().Length < MinAppSecretLength)
            {
                failures.Add($"Meta:AppSecrets:{i} is too short ({options.AppSecrets[i].Trim().Length} characters): a Meta app secret is 32 characters; at least {MinAppSecretLength} are required.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.VerifyToken))
        {
            failures.Add("Meta:VerifyToken is not set: choose a token and enter the same value in the App Dashboard's webhook settings.");
        }
        else if (options.VerifyToken.Trim().Length < MinVerifyTokenLength)
        {
            failures.Add($"Meta:VerifyToken is too short ({options.VerifyToken.Trim().Length} characters): choose a random token of at least {MinVerifyTokenLength} characters.");
        }

        if (options.MaxBodyBytes is < 1024 or > 64 * 1024 * 1024)
        {
            failures.Add("Meta:MaxBodyBytes must be between 1024 and 67108864.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
