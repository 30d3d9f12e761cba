using Microsoft.Extensions.Options;

namespace WebhookProcessor.Ops;

/// <summary>Settings under <c>Ops</c>: who may query the ops API, and how large its pages may grow.</summary>
public sealed class OpsOptions
{
    public const string SectionName = "Ops";

    /// <summary>Accepted values of the <c>X-Api-Key</c> header; several allow rotation.</summary>
    public List<string> ApiKeys { get; init; } = [];

    /// <summary>
    /// The most a list response's items may add up to, in serialized bytes: a page stops early (with a
    /// next cursor) rather than pass it, but always holds at least one item.
    /// </summary>
    public int MaxPageBytes { get; init; } = 1024 * 1024;
}

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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
