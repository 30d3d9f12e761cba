using System.Security.Cryptography;
using System.Text;

namespace WebhookProcessor.Notifications;

/// <summary>
/// The one text two owners share exactly when their matches clash: the account and the name pattern,
/// the pattern lower-cased because patterns match names case-insensitively. Stores index it, so a save
/// finds a clash with one lookup instead of reading every owner.
/// </summary>
internal static class OwnerMatchKey
{
    public static string Of(OwnerMatch match) =>
        (match.WabaId ?? string.Empty) + "\n" + (match.TemplateNamePattern?.ToLowerInvariant() ?? string.Empty);

    /// <summary>The key as 64 hex digits, for stores whose keys allow only some characters.</summary>
    public static string Hash(OwnerMatch match) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Of(match))));
}
