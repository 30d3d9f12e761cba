using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace WebhookProcessor.Webhooks;

/// <summary>A request body read into a pooled buffer, never beyond the limit.</summary>
internal readonly struct BoundedBody(byte[] buffer, int length) : IDisposable
{
    public ReadOnlyMemory<byte> Memory => buffer.AsMemory(0, length);

    public ReadOnlySpan<byte> Span => buffer.AsSpan(0, length);

    /// <summary>Returns null when the body exceeds <paramref name="limit"/>; stops reading as soon as it does.</summary>
    public static async Task<BoundedBody?> ReadAsync(HttpContext context, int limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            // Kestrel counts a chunked body's framing against its limit, so small chunks would be refused
            // well below the limit that a Content-Length body gets. The decoded size is counted below either
            // way; Kestrel keeps only a loose bound on the wire (1-byte chunks take six bytes each), and its
            // minimum data rate bounds the time.
            sizeFeature.MaxRequestBodySize = context.Request.ContentLength is null ? ChunkedWireBound(limit) : limit;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(context.Request.ContentLength ?? 16 * 1024, limit) + 1);
        var length = 0;
        try
        {
            var stream = context.Request.Body;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return null;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), context.RequestAborted);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return null;
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return null;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        return new BoundedBody(buffer, length);
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);

    private static long ChunkedWireBound(int limit) => (8L * limit) + (64 * 1024);
}
