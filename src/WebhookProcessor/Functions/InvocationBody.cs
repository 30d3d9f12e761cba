using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;

namespace WebhookProcessor.Functions;

/// <summary>
/// A trigger invocation's body, read under <see cref="FunctionsOptions.MaxInvocationBytes"/> instead of
/// Kestrel's limit for the app (<c>Meta:MaxBodyBytes</c>, meant for webhooks). A larger body is read to
/// its end all the same, so the host gets an answer rather than a reset connection, but only its start
/// is kept: enough to record what it was.
/// </summary>
internal sealed partial class InvocationBody
{
    /// <summary>How much of an oversized body is kept for its dead letter.</summary>
    public const int SampleBytes = 64 * 1024;

    private InvocationBody(ReadOnlyMemory<byte> bytes, long length, bool tooLarge)
    {
        Bytes = bytes;
        Length = length;
        TooLarge = tooLarge;
    }

    /// <summary>The whole body, or its first <see cref="SampleBytes"/> when <see cref="TooLarge"/>.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The body's full length in bytes.</summary>
    public long Length { get; }

    public bool TooLarge { get; }

    public static async Task<InvocationBody> ReadAsync(HttpContext context, int limit)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            // Only the Functions host reaches this port (loopback), and what it posts is bounded by the
            // queue's message size; the limit that matters is counted below.
            sizeFeature.MaxRequestBodySize = null;
        }

        var kept = new MemoryStream(context.Request.ContentLength is { } known && known <= limit ? (int)known : 16 * 1024);
        var chunk = new byte[64 * 1024];
        long length = 0;
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (length + read <= limit)
            {
                kept.Write(chunk, 0, read);
            }

            length += read;
        }

        var tooLarge = length > limit;
        var bytes = kept.GetBuffer().AsMemory(0, (int)kept.Length);
        return new InvocationBody(tooLarge ? bytes[..Math.Min(bytes.Length, SampleBytes)] : bytes, length, tooLarge);
    }

    /// <summary>
    /// The event id of the change inside an invocation, found in its text however many times it was
    /// JSON-encoded (the codec writes <c>eventId</c> near the start); null when it is not there.
    /// </summary>
    public string? EventIdHint()
    {
        var match = EventIdPattern().Match(Encoding.UTF8.GetString(Bytes.Span));
        return match.Success ? match.Groups[1].Value : null;
    }

    // A quote may also be written \u0022 by an encoder that escapes it that way.
    [GeneratedRegex("""(?:eventId|messageId)\\*(?:"|u0022)\s*:\s*\\*(?:"|u0022)([^"\\]{1,256})""", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex EventIdPattern();
}
