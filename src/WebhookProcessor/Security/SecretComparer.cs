using System.Security.Cryptography;
using System.Text;

namespace WebhookProcessor.Security;

/// <summary>Constant-time comparison of a presented secret against the configured ones.</summary>
public static class SecretComparer
{
    /// <summary>
    /// Hashing both sides first makes the comparison independent of length as well as content;
    /// every candidate is compared so timing does not reveal which one matched.
    /// </summary>
    public static bool MatchesAny(string? presented, IEnumerable<string> accepted)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        Span<byte> presentedHash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> acceptedHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), presentedHash);
        var matched = false;
        foreach (var secret in accepted)
        {
            if (string.IsNullOrEmpty(secret))
            {
                continue;
            }

            SHA256.HashData(Encoding.UTF8.GetBytes(secret), acceptedHash);
            matched |= CryptographicOperations.FixedTimeEquals(presentedHash, acceptedHash);
        }

        return matched;
    }
}
