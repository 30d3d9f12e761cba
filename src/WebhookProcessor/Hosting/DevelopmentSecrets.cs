namespace WebhookProcessor.Hosting;

/// <summary>
/// The secrets in appsettings.Development.json start with this marker so a fresh clone runs with no
/// setup, and so the service can refuse them anywhere but in the Development environment.
/// </summary>
public static class DevelopmentSecrets
{
    public const string Marker = "dev-only-";

    public static bool IsDevelopmentSecret(string? value) =>
        value is not null && value.StartsWith(Marker, StringComparison.Ordinal);
}
