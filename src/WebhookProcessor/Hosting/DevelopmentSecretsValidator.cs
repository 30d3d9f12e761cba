using Microsoft.Extensions.Options;
using WebhookProcessor.Ops;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.Hosting;

/// <summary>Refuses the clearly-marked development secrets in any environment but Development.</summary>
internal sealed class DevelopmentSecretsValidator(IHostEnvironment environment) : IValidateOptions<MetaOptions>, IValidateOptions<OpsOptions>
{
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

    private void Check(List<string> failures, string key, string? value)
    {
        if (!environment.IsDevelopment() && DevelopmentSecrets.IsDevelopmentSecret(value))
        {
            failures.Add($"{key} holds a development-only value (it starts with '{DevelopmentSecrets.Marker}') but the environment is {environment.EnvironmentName}: set a real secret.");
        }
    }

    private static ValidateOptionsResult Result(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}
