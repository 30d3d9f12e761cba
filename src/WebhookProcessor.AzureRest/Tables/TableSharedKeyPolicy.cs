using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace WebhookProcessor.AzureRest.Tables;

/// <summary>
/// Signs each attempt with Shared Key Lite, the form Azure.Data.Tables uses for tables:
/// HMAC-SHA256 with the decoded account key over <c>x-ms-date</c> and the canonicalized resource.
/// Runs after <see cref="TableHeadersPolicy"/>, which sets the date.
/// </summary>
internal sealed class TableSharedKeyPolicy(string accountName, byte[] accountKey) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        if (!request.Headers.TryGetValue("x-ms-date", out var date))
        {
            throw new InvalidOperationException("x-ms-date must be set before signing.");
        }

        var stringToSign = StringToSign(date, accountName, request.Uri.ToUri());
        request.Headers.SetValue("Authorization", $"SharedKeyLite {accountName}:{Sign(accountKey, stringToSign)}");
    }

    /// <summary>
    /// <c>date \n /account/path[?comp=x]</c>. The path is the encoded one sent on the wire; on a
    /// path-style (emulator) endpoint it starts with the account again, and the service expects that.
    /// </summary>
    internal static string StringToSign(string date, string accountName, Uri uri)
    {
        var resource = new StringBuilder("/").Append(accountName).Append(uri.AbsolutePath.Length > 0 ? uri.AbsolutePath : "/");
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (pair.StartsWith("comp=", StringComparison.OrdinalIgnoreCase))
            {
                resource.Append("?comp=").Append(Uri.UnescapeDataString(pair[5..]));
            }
        }

        return date + "\n" + resource;
    }

    internal static string Sign(byte[] key, string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
}
