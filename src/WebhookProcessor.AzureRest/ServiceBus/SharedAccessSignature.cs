using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WebhookProcessor.AzureRest.ServiceBus;

/// <summary>Builds Service Bus SAS tokens (the <c>Authorization: SharedAccessSignature …</c> value).</summary>
public static class SharedAccessSignature
{
    /// <summary>
    /// A token for <paramref name="resourceUri"/> and everything below it, valid until <paramref name="expiresAt"/>
    /// (whole seconds). The string to sign is the URL-encoded resource, a newline and the expiry in Unix
    /// seconds; it is signed with HMAC-SHA256 keyed with the key's UTF-8 bytes. Unlike Storage keys, a
    /// Service Bus key is used as the text shown in the portal, not base64-decoded.
    /// </summary>
    public static string CreateToken(string resourceUri, string keyName, string key, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceUri);
        ArgumentException.ThrowIfNullOrEmpty(keyName);
        ArgumentException.ThrowIfNullOrEmpty(key);

        var encodedResource = Uri.EscapeDataString(resourceUri);
        var expiry = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes($"{encodedResource}\n{expiry}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"SharedAccessSignature sr={encodedResource}&sig={Uri.EscapeDataString(Convert.ToBase64String(signature))}&se={expiry}&skn={Uri.EscapeDataString(keyName)}");
    }
}
