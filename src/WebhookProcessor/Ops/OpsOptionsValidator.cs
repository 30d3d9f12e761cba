using Microsoft.Extensions.Options;

namespace WebhookProcessor.Ops;

internal sealed class OpsOptionsValidator : IValidateOptions<OpsOptions>
{
    /// <summary>The keys guard the whole ops API; 24 random characters cannot be guessed over HTTP.</summary>
    public const int MinApiKeyLength = 24;

    public ValidateOptionsResult Validate(string? name, OpsOptions options)
    {
        if (options.ApiKeys.Count == 0 || options.ApiKeys.Any(string.IsNullOrWhiteSpace))
        {
            return ValidateOptionsResult.Fail("Ops:ApiKeys must hold at least one non-blank key (for example the environment variable Ops__ApiKeys__0).");
        }

        var failures = new List<string>();
        if (options.MaxPageBytes < 4096)
        {
            failures.Add("Ops:MaxPageBytes must be at least 4096 (bytes of one list response's items); the default is 1048576.");
        }

        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var length = options.ApiKeys[i].Trim().Length;
            if (length < MinApiKeyLength)
            {
                failures.Add($"Ops:ApiKeys:{i} is too short ({length} characters): every key must be at least {MinApiKeyLength} random characters long.");
            }
        }

        for (var i = 0; i < options.ReadOnlyApiKeys.Count; i++)
        {
            var length = options.ReadOnlyApiKeys[i]?.Trim().Length ?? 0;
            if (length < MinApiKeyLength)
            {
                failures.Add($"Ops:ReadOnlyApiKeys:{i} is too short ({length} characters): every key must be at least {MinApiKeyLength} random characters long.");
            }
            else if (options.ApiKeys.Contains(options.ReadOnlyApiKeys[i], StringComparer.Ordinal))
            {
                failures.Add($"Ops:ReadOnlyApiKeys:{i} is also in Ops:ApiKeys: a key is either read-only or not.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
