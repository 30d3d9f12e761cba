using System.Buffers.Text;
using System.Text;

namespace WebhookProcessor.AzureRest.Tables;

/// <summary>The service's two continuation headers as one opaque string (base64url of <c>pk \n rk</c>).</summary>
internal static class TableContinuation
{
    public static string? Encode(string? nextPartitionKey, string? nextRowKey) =>
        nextPartitionKey is null && nextRowKey is null
            ? null
            : Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{nextPartitionKey}\n{nextRowKey}"));

    public static (string? NextPartitionKey, string? NextRowKey) Decode(string continuation)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(continuation));
        }
        catch (FormatException ex)
        {
            throw new FormatException("The continuation is not one this client issued.", ex);
        }

        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        if (newline < 0)
        {
            throw new FormatException("The continuation is not one this client issued.");
        }

        return (Empty(text[..newline]), Empty(text[(newline + 1)..]));
    }

    private static string? Empty(string value) => value.Length == 0 ? null : value;
}
