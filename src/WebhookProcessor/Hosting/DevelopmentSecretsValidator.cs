using Microsoft.Extensions.Options;
using WebhookProcessor.Notifications;
using WebhookProcessor.Ops;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.Hosting;

/// <summary>
/// Refuses secrets that are not real: the clearly-marked development secrets in any environment but
/// Development, and a Key Vault reference the platform left unresolved (the app would otherwise accept
/// signatures made with the reference text itself, which is no secret).
/// </summary>
internal sealed class DevelopmentSecretsValidator(IHostEnvironment environment) : IValidateOptions<MetaOptions>, IValidateOptions<OpsOptions>, IValidateOptions<NotificationOptions>
{
    private const string KeyVaultReference = "@Microsoft.KeyVault(";

    public ValidateOptionsResult Validate(string? name, MetaOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.AppSecrets.Count; i++)
        {
            Check(failures, $"Meta:AppSecrets:{i}", options.AppSecrets[i]);
        }

        Check(failures, "Meta:VerifyToken", options.VerifyToken);
        return Result(failures);
    }

    public ValidateOptionsResult Validate(string? name, OpsOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            Check(failures, $"Ops:ApiKeys:{i}", options.ApiKeys[i]);
        }

        return Result(failures);
    }

    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var failures = new List<string>();
        Check(failures, "Notifications:Smtp:Password", options.Smtp.Password);
        return Result(failures);
    }

    private void Check(List<string> failures, string key, string? value)
    {
        if (value is not null && value.TrimStart().StartsWith(KeyVaultReference, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{key} is an unresolved Key Vault reference: give the app's identity the Key Vault Secrets User role on the vault and check the secret's URI.");
        }

        if (!environment.IsDevelopment() && DevelopmentSecrets.IsDevelopmentSecret(value))
        {
            failures.Add($"{key} holds a development-only value (it starts with '{DevelopmentSecrets.Marker}') but the environment is {environment.EnvironmentName}: set a real secret.");
        }
    }

    private static ValidateOptionsResult Result(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}
