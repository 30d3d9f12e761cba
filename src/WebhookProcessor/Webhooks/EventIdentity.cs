using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace WebhookProcessor.Webhooks;

/// <summary>
/// Meta sends no event id, so one is derived from the change itself: account, field, entry time and
/// the canonical value. The same change delivered twice (in one batch, or days apart by a retry) gets
/// the same id; any difference in content gives a different one.
/// </summary>
public static class EventIdentity
{
    // Reused per thread: this runs for every change of every webhook, and fresh buffers per call
    // were a good share of the intake's allocations.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    public static string Compute(string wabaId, string field, long? entryTime, JsonElement value)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        Append(buffer, wabaId);
        Append(buffer, field);
        Append(buffer, entryTime?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
        CanonicalJson.Write(value, buffer);

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        if (buffer.Capacity > 64 * 1024)
        {
            // A rare huge change must not pin a huge buffer to the thread for good.
            t_buffer = null;
        }

        // 128 bits is ample for uniqueness and keeps ids short in URLs and queue message ids.
        return Convert.ToHexStringLower(hash[..16]);
    }

    private static void Append(ArrayBufferWriter<byte> buffer, string part)
    {
        var span = buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(part.Length) + 1);
        var written = Encoding.UTF8.GetBytes(part, span);
        span[written] = (byte)'\n';
        buffer.Advance(written + 1);
    }
}
