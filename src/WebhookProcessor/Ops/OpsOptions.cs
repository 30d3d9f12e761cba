using Microsoft.Extensions.Options;

namespace WebhookProcessor.Ops;

/// <summary>Settings under <c>Ops</c>: who may query the ops API.</summary>
public sealed class OpsOptions
{
    public const string SectionName = "Ops";

    /// <summary>Accepted values of the <c>X-Api-Key</c> header; several allow rotation.</summary>
    public List<string> ApiKeys { get; init; } = [];
}

internal sealed class OpsOptionsValidator : IValidateOptions<OpsOptions>
{
    public ValidateOptionsResult Validate(string? name, OpsOptions options)
    {
        if (options.ApiKeys.Count == 0 || options.ApiKeys.Any(string.IsNullOrWhiteSpace))
        {
            return ValidateOptionsResult.Fail("Ops:ApiKeys must hold at least one non-blank key (for example the environment variable Ops__ApiKeys__0).");
        }

        return options.ApiKeys.Any(k => k.Length < 16)
            ? ValidateOptionsResult.Fail("Ops:ApiKeys: every key must be at least 16 characters long.")
            : ValidateOptionsResult.Success;
    }
}
