namespace WebhookProcessor.Telemetry;

/// <summary>Reads <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> (<c>Authorization=AAD;ClientId=…</c>), the Functions host's way of naming Entra sign-in.</summary>
public static class AuthenticationString
{
    public static bool UsesEntra(string? value) =>
        Part(value, "Authorization") is { } kind && kind.Equals("AAD", StringComparison.OrdinalIgnoreCase);

    public static string? ClientId(string? value) => Part(value, "ClientId");

    private static string? Part(string? value, string name)
    {
        foreach (var part in (value ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && part[..equals].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return part[(equals + 1)..].Trim() is { Length: > 0 } found ? found : null;
            }
        }

        return null;
    }
}
