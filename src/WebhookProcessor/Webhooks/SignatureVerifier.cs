using System.Security.Cryptography;
using System.Text;

namespace WebhookProcessor.Webhooks;

/// <summary>
/// Checks <c>X-Hub-Signature-256</c>: HMAC-SHA256 of the raw body bytes, keyed with a Meta app secret.
/// Every configured secret is tried so a secret can be rotated without refusing traffic.
/// </summary>
public sealed class SignatureVerifier
{
    public const string HeaderName = "X-Hub-Signature-256";
    private const string Prefix = "sha256=";
    private const int DigestHexLength = SHA256.HashSizeInBytes * 2;

    private readonly byte[][] _keys;

    public SignatureVerifier(IEnumerable<string> secrets)
    {
        _keys = secrets.Where(s => !string.IsNullOrEmpty(s)).Select(Encoding.UTF8.GetBytes).ToArray();
        if (_keys.Length == 0)
        {
            // Fail closed: without a secret no signature can be valid.
            throw new InvalidOperationException("No Meta app secret is configured (Meta:AppSecrets).");
        }
    }

    public SignatureCheck Verify(string? header, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return SignatureCheck.Missing;
        }

        var value = header.AsSpan().Trim();
        if (!value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || value.Length != Prefix.Length + DigestHexLength)
        {
            return SignatureCheck.Malformed;
        }

        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        if (Convert.FromHexString(value[Prefix.Length..], expected, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != expected.Length)
        {
            return SignatureCheck.Malformed;
        }

        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        var matched = false;
        foreach (var key in _keys)
        {
            HMACSHA256.HashData(key, body, actual);
            // No early exit: every secret costs the same whichever one matches.
            matched |= CryptographicOperations.FixedTimeEquals(actual, expected);
        }

        return matched ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }

    /// <summary>The header value Meta would send for <paramref name="body"/> signed with <paramref name="secret"/>.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
