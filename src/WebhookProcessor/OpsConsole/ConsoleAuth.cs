using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using WebhookProcessor.Ops;
using WebhookProcessor.Security;

namespace WebhookProcessor.OpsConsole;

/// <summary>
/// The console's sign-in: an ops API key typed into a form opens a cookie session. The cookie holds the
/// role and a short fingerprint of the key, never the key; a session whose key has been removed from
/// the configuration ends on its next request.
/// </summary>
public static class ConsoleAuth
{
    public const string Scheme = "OpsConsole";

    /// <summary>A key from <c>Ops:ApiKeys</c>: sees everything and may change things.</summary>
    public const string OperatorRole = "operator";

    /// <summary>A key from <c>Ops:ReadOnlyApiKeys</c>: sees everything, changes nothing.</summary>
    public const string ReaderRole = "reader";

    public const string KeyIdClaim = "key-id";

    /// <summary>Every console page but sign-in.</summary>
    public const string ReadPolicy = "console-read";

    /// <summary>Retries, replays and owner changes.</summary>
    public const string WritePolicy = "console-write";

    /// <summary>The role a key opens, or null for a key that is not configured (compared in constant time).</summary>
    public static string? RoleOf(string? key, OpsOptions options) =>
        SecretComparer.MatchesAny(key, options.ApiKeys) ? OperatorRole
        : SecretComparer.MatchesAny(key, options.ReadOnlyApiKeys) ? ReaderRole
        : null;

    /// <summary>A fingerprint of a key: enough to tell whether it is still configured, useless for signing in.</summary>
    public static string KeyId(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("console-key\n" + key)).AsSpan(0, 8));

    public static ClaimsPrincipal Principal(string key, string role) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, role == OperatorRole ? "ops" : "ops (read-only)"), new Claim(ClaimTypes.Role, role), new Claim(KeyIdClaim, KeyId(key))],
        Scheme));

    /// <summary>Whether the session's key is still configured with the same role.</summary>
    public static bool IsStillValid(ClaimsPrincipal principal, OpsOptions options)
    {
        var keyId = principal.FindFirstValue(KeyIdClaim);
        var role = principal.FindFirstValue(ClaimTypes.Role);
        if (keyId is null || role is null)
        {
            return false;
        }

        var keys = role == OperatorRole ? options.ApiKeys : role == ReaderRole ? options.ReadOnlyApiKeys : [];
        return keys.Any(k => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(KeyId(k)), Encoding.ASCII.GetBytes(keyId)));
    }

    public static bool IsOperator(ClaimsPrincipal user) => user.IsInRole(OperatorRole);
}
